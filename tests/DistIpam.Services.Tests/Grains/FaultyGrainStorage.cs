using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// Test-only grain storage: ETag-checked, in memory, shared by the silos of one in-process
/// cluster, with injectable write failures (a write refused before it lands, or one that lands
/// and then reports failure: an unknown outcome).
/// </summary>
public sealed class FaultyGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (string ETag, byte[] Data)> _rows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Serializer? _serializer;
    private Fault? _fault;
    private long _nextETag;

    /// <summary>How many writes the faults refused so far.</summary>
    public int FailedWrites { get; private set; }

    /// <summary>Binds the serializer of the first silo that resolves the storage.</summary>
    public FaultyGrainStorage Bind(Serializer serializer)
    {
        _serializer ??= serializer;
        return this;
    }

    /// <summary>
    /// Fails writes and clears of grains whose id contains <paramref name="grainIdPart"/>: the
    /// next <paramref name="count"/> of them after letting <paramref name="skip"/> through. With
    /// <paramref name="landThenFail"/> the write is stored before the failure is reported.
    /// </summary>
    public void FailWrites(string grainIdPart, int count = 1, bool landThenFail = false, int skip = 0)
    {
        lock (_gate)
        {
            _fault = new Fault(grainIdPart, count, landThenFail) { Skip = skip };
        }
    }

    /// <summary>Stops failing writes.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _fault = null;
        }
    }

    /// <summary>Stores <paramref name="state"/> as if a grain had written it (a state left by a silo that died).</summary>
    public void Plant<T>(string stateName, GrainId grainId, T state)
    {
        lock (_gate)
        {
            var etag = (++_nextETag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _rows[Key(stateName, grainId)] = (etag, _serializer!.SerializeToArray(state));
        }
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = _serializer!.Deserialize<T>(row.Data);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var data = _serializer!.SerializeToArray(grainState.State);
        return Apply(stateName, grainId, grainState, data);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        return Apply(stateName, grainId, grainState, null);
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}|{grainId}";

    private Task Apply<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[]? data)
    {
        var key = Key(stateName, grainId);
        lock (_gate)
        {
            var fault = _fault is { } f && grainId.ToString().Contains(f.GrainIdPart, StringComparison.Ordinal) && f.Remaining > 0 ? f : null;
            if (fault is { Skip: > 0 })
            {
                fault.Skip--;
                fault = null;
            }

            if (fault is not null)
            {
                fault.Remaining--;
                FailedWrites++;
                if (!fault.LandThenFail)
                {
                    return Task.FromException(new IOException($"injected write failure for {key}"));
                }
            }

            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
            {
                return Task.FromException(new InconsistentStateException($"ETag mismatch for {key}", stored, grainState.ETag));
            }

            var etag = (++_nextETag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (data is null)
            {
                _rows.TryRemove(key, out _);
                etag = null!;
            }
            else
            {
                _rows[key] = (etag, data);
            }

            if (fault is not null)
            {
                return Task.FromException(new IOException($"injected failure after the write of {key} landed"));
            }

            grainState.ETag = data is null ? null : etag;
            grainState.RecordExists = data is not null;
            if (data is null)
            {
                grainState.State = Activator.CreateInstance<T>();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Fault(string grainIdPart, int remaining, bool landThenFail)
    {
        public string GrainIdPart { get; } = grainIdPart;

        public int Remaining { get; set; } = remaining;

        public bool LandThenFail { get; } = landThenFail;

        public int Skip { get; set; }
    }
}
