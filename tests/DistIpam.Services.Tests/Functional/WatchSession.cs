using System.Threading.Channels;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>A watch call read in the background; tests take events with a deadline.</summary>
public sealed class WatchSession : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<WatchEvent> _call;
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();
    private readonly Task _pump;

    private WatchSession(AsyncServerStreamingCall<WatchEvent> call)
    {
        _call = call;
        _pump = PumpAsync();
    }

    /// <summary>The failure that ended the stream, if any.</summary>
    public RpcException? Failure { get; private set; }

    /// <summary>Starts a watch.</summary>
    public static WatchSession Start(Api.V1.Services.ServicesClient client, WatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new WatchSession(client.Watch(request));
    }

    /// <summary>The next event; throws when none arrives within <paramref name="timeout"/> or the stream ended.</summary>
    public async Task<WatchEvent> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _events.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"expected a watch event within {timeout.TotalSeconds:0.#} s, but none came");
        }
        catch (ChannelClosedException)
        {
            throw Failure ?? new RpcException(new Status(StatusCode.OK, "the watch ended"));
        }
    }

    /// <summary>Events until one matches <paramref name="stop"/> (included), skipping bookmarks.</summary>
    public async Task<List<WatchEvent>> UntilAsync(Func<WatchEvent, bool> stop, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var seen = new List<WatchEvent>();
        var end = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = end - DateTime.UtcNow;
            WatchEvent next;
            try
            {
                next = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"expected the awaited watch event within {timeout.TotalSeconds:0.#} s, but saw only: {string.Join("; ", seen.Select(Describe))}");
            }

            if (next.Type != WatchEvent.Types.Type.Bookmark)
            {
                seen.Add(next);
            }

            if (stop(next))
            {
                return seen;
            }
        }
    }

    /// <summary>A short description of an event.</summary>
    public static string Describe(WatchEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var what = e.ObjectCase switch
        {
            WatchEvent.ObjectOneofCase.Service => $"service {e.Service.Name}",
            WatchEvent.ObjectOneofCase.Slice => $"slice {e.Slice.Name}",
            _ => "",
        };
        return $"{e.Type} {what} v{e.Version}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        await _pump;
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
                await _events.Writer.WriteAsync(_call.ResponseStream.Current);
            }
        }
        catch (RpcException e)
        {
            Failure = e;
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
