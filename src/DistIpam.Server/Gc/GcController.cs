using DistIpam.Api.V1;

namespace DistIpam.Server.Gc;

/// <summary>
/// Runs <see cref="GcPass"/> every <see cref="GcOptions.Interval"/> on the oldest active silo (as
/// the reconciler does, so a cluster collects once), and on demand. Passes never overlap; the
/// status is an immutable snapshot swapped by reference.
/// </summary>
public sealed partial class GcController(
    GcPass pass,
    GcOptions options,
    TimeProvider time,
    ScanningSilo scanning,
    ILogger<GcController> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyDictionary<string, GcCandidateState> _tracked = new Dictionary<string, GcCandidateState>();
    private GcStatus _status = new();
    private long _handles;
    private long _addresses;
    private long _nodes;
    private long _spared;
    private long _serviceValues;

    /// <summary>The last pass's status.</summary>
    public GcStatus Status => Decorate(Volatile.Read(ref _status).Clone());

    /// <summary>Runs one pass now; returns its status.</summary>
    public async Task<GcStatus> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await pass.RunAsync(_tracked);
            _tracked = result.Candidates;
            _handles += result.HandlesReleased;
            _addresses += result.AddressesReleased;
            _nodes += result.NodesDrained;
            _spared += result.Spared;
            _serviceValues += result.ServiceValuesReleased;
            var status = new GcStatus
            {
                LastRunUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                HandlesReleased = _handles,
                AddressesReleased = _addresses,
                NodesDrained = _nodes,
                Spared = _spared,
                ServiceValuesReleased = _serviceValues,
                UnrecordedAddresses = result.UnrecordedAddresses,
            };
            status.Candidates.AddRange(result.Candidates.Values.OrderBy(c => c.FirstSeenUnixMs).Select(ToProto));
            status.Errors.AddRange(result.Errors);
            Volatile.Write(ref _status, status);
            return Status;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!IsScanningSilo())
            {
                _tracked = new Dictionary<string, GcCandidateState>();
                continue;
            }

            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(e.Message);
            }
        }
    }

    private GcStatus Decorate(GcStatus status)
    {
        status.Enabled = options.Enabled;
        status.Scanning = options.Enabled && IsScanningSilo();
        status.GraceMs = (long)options.Grace.TotalMilliseconds;
        status.AutoReleaseExpiredNodes = options.AutoReleaseExpiredNodes;
        return status;
    }

    private GcCandidate ToProto(GcCandidateState candidate) => new()
    {
        Kind = candidate.Kind,
        Key = candidate.Key,
        FirstSeenUnixMs = candidate.FirstSeenUnixMs,
        Observations = candidate.Observations,
        DueUnixMs = candidate.FirstSeenUnixMs + (long)options.Grace.TotalMilliseconds,
        Action = candidate.Kind != GcCandidateState.NodeKind ? "release" : options.AutoReleaseExpiredNodes ? "drain" : "report only (auto-release off)",
    };

    private bool IsScanningSilo() => scanning.IsThisSilo();

    [LoggerMessage(EventId = 14210, Level = LogLevel.Warning, Message = "GC pass failed; the next one retries: {Reason}")]
    private partial void LogPassFailed(string reason);
}
