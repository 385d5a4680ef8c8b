using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using Orleans.Storage;

namespace DistIpam.Server.Errors;

/// <summary>
/// Logs, where they are raised, the failures a grain call meets that never reach a client as
/// themselves: an ETag conflict (a stale or duplicate activation's write refused by storage, rule
/// 2 of docs/architecture.md; the grain deactivates and the caller retries) and a block claim
/// conflict (a block that another node already owns). Each exception is logged once per silo,
/// however many grain calls it passes through on its way out.
/// </summary>
public sealed partial class GrainFailureLogFilter(ILogger<GrainFailureLogFilter> logger) : IIncomingGrainCallFilter
{
    private const string LoggedKey = "distipam.logged";

    private const string WrappedConflict = "(" + nameof(InconsistentStateException) + ":";

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (Observe(e, context))
        {
            // Observe never returns true: the exception propagates unchanged.
            throw;
        }
    }

    private bool Observe(Exception exception, IIncomingGrainCallContext context)
    {
        if (exception.Data.Contains(LoggedKey))
        {
            return false;
        }

        foreach (var e in ExceptionChain.Of(exception))
        {
            // Group commit (WriteBatcher) hands every caller of a failed batch its own UNAVAILABLE
            // naming the storage exception's type: the type survives only in that text.
            if (e is InconsistentStateException
                || (e is IpamGrainException { Kind: IpamErrorKind.Unavailable } && e.Message.Contains(WrappedConflict, StringComparison.Ordinal)))
            {
                LogEtagConflict(context.TargetId.ToString(), context.MethodName, e.Message);
                exception.Data[LoggedKey] = true;
                return false;
            }

            if (e is IpamGrainException { Kind: IpamErrorKind.FailedPrecondition } claim && context.MethodName == "InitializeAsync" && context.InterfaceName.EndsWith("IBlockGrain", StringComparison.Ordinal))
            {
                LogClaimConflict(context.TargetId.ToString(), claim.Message);
                exception.Data[LoggedKey] = true;
                return false;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "ETag conflict in {Grain}.{Method}: storage refused a write made from an out-of-date state (a duplicate or stale activation); the grain reloads and the caller retries: {Reason}")]
    private partial void LogEtagConflict(string grain, string method, string reason);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Block claim conflict at {Grain}: {Reason}")]
    private partial void LogClaimConflict(string grain, string reason);
}
