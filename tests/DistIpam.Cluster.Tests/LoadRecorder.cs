using System.Collections.Concurrent;
using System.Diagnostics;
using DistIpam.Api.V1;

namespace DistIpam.Cluster.Tests;

/// <summary>What a load run acknowledged: the addresses each live handle holds, and when successes happened.</summary>
public sealed class LoadRecorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<TimeSpan> _successes = new();

    /// <summary>Handles whose Allocate was acknowledged and not released since, with their addresses.</summary>
    public ConcurrentDictionary<string, (Handle Handle, string[] Addresses)> Held { get; } = new();

    /// <summary>Every address ever acknowledged, with the handle it was given to.</summary>
    public ConcurrentBag<(string Address, string Handle)> EverAcknowledged { get; } = [];

    /// <summary>Time since the recorder started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Records an acknowledged allocation.</summary>
    public void Allocated(Handle handle, AllocateResponse response)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(response);
        var key = $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";
        var addresses = response.Addresses.Select(a => a.Address.Split('/')[0]).ToArray();
        Held[key] = (handle, addresses);
        foreach (var address in addresses)
        {
            EverAcknowledged.Add((address, key));
        }

        _successes.Enqueue(_clock.Elapsed);
    }

    /// <summary>Records an acknowledged release.</summary>
    public void Released(Handle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Held.TryRemove($"{handle.Network}/{handle.ContainerId}/{handle.Interface}", out _);
    }

    /// <summary>The longest time without a successful allocation between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public TimeSpan LongestGap(TimeSpan from, TimeSpan to)
    {
        var times = _successes.Where(t => t >= from && t <= to).Order().ToList();
        var previous = from;
        var longest = TimeSpan.Zero;
        foreach (var time in times.Append(to))
        {
            longest = time - previous > longest ? time - previous : longest;
            previous = time;
        }

        return longest;
    }
}
