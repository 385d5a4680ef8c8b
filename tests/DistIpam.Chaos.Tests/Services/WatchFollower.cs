using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>
/// Follows Services.Watch of one namespace the way a proxy would: on a broken stream it resumes
/// from the last version received at the next silo; on OUT_OF_RANGE it relists. The state it
/// builds must end equal to a fresh List (invariant 7).
/// </summary>
internal sealed class WatchFollower : IAsyncDisposable
{
    private const int MaxReconnects = 1_000;
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromMilliseconds(200);
    private readonly ChaosClient _client;
    private readonly Func<IReadOnlyList<ServerProcess>> _silos;
    private readonly string _namespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly WatchState _state = new();
    private long _lastVersion;
    private Task? _running;

    /// <summary>Creates a follower of <paramref name="ns"/> from <paramref name="fromVersion"/>.</summary>
    public WatchFollower(ChaosClient client, Func<IReadOnlyList<ServerProcess>> silos, string ns, long fromVersion)
    {
        _client = client;
        _silos = silos;
        _namespace = ns;
        _lastVersion = fromVersion;
    }

    /// <summary>The last version received (event or bookmark).</summary>
    public long LastVersion => Interlocked.Read(ref _lastVersion);

    /// <summary>How often the stream broke and was resumed.</summary>
    public int Resumes { get; private set; }

    /// <summary>How often the watch had to relist (OUT_OF_RANGE).</summary>
    public int Relists { get; private set; }

    /// <summary>Starts following in the background.</summary>
    public void Start() => _running = Task.Run(() => FollowAsync(_stop.Token));

    /// <summary>Null when the watched state equals the lists, else the differences.</summary>
    public string? DiffersFrom(IEnumerable<Service> services, IEnumerable<EndpointSlice> slices)
    {
        lock (_gate)
        {
            return _state.DiffersFrom(services, slices);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task FollowAsync(CancellationToken stop)
    {
        for (var attempt = 0; attempt < MaxReconnects && !stop.IsCancellationRequested; attempt++)
        {
            var silos = _silos();
            var channel = _client.ChannelTo(silos[attempt % silos.Count]);
            try
            {
                using var call = new Api.V1.Services.ServicesClient(channel).Watch(
                    new WatchRequest { FromVersion = LastVersion, Namespace = _namespace }, cancellationToken: stop);
                await foreach (var change in call.ResponseStream.ReadAllAsync(stop))
                {
                    lock (_gate)
                    {
                        _state.Apply(change);
                    }

                    Interlocked.Exchange(ref _lastVersion, Math.Max(LastVersion, change.Version));
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
            {
                Relists++;
                await RelistAsync();
            }
            catch (RpcException)
            {
                Resumes++;
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                Resumes++;
            }

            await Task.Delay(ReconnectPause, stop);
        }
    }

    private async Task RelistAsync()
    {
        var services = await _client.CallAsync("ListServices", 0, (c, o) => new Api.V1.Services.ServicesClient(c).ListServicesAsync(new ListServicesRequest { Namespace = _namespace }, o).ResponseAsync);
        var slices = await _client.CallAsync("ListEndpointSlices", 0, (c, o) => new Api.V1.Services.ServicesClient(c).ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = _namespace }, o).ResponseAsync);
        if (services.Value is { } s && slices.Value is { } e)
        {
            lock (_gate)
            {
                _state.Reset(s.Services, e.Slices);
            }

            Interlocked.Exchange(ref _lastVersion, Math.Min(s.Version, e.Version));
        }
    }
}
