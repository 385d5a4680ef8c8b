namespace DistIpam.Server.History;

/// <summary>
/// One address's history. Not reentrant; a failed write deactivates it so the next call re-reads
/// storage (rule 3 of docs/architecture.md). Events it drops are forgotten by their handles' histories.
/// </summary>
public sealed partial class AddressHistoryGrain(
    [PersistentState("addresshistory", HistoryStorage.Name)] IPersistentState<HistoryState> state,
    HistoryOptions options,
    TimeProvider time,
    ILogger<AddressHistoryGrain> logger) : Grain, IAddressHistoryGrain
{
    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<HistoryEvent> events)
    {
        var (changed, dropped) = state.State.Log.Append(events, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Retention, options.MaxEventsPerAddress);
        if (!changed)
        {
            return;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        foreach (var gone in dropped.Where(e => e.Kind == HistoryEventKind.Allocated))
        {
            try
            {
                await GrainFactory.GetGrain<IHandleHistoryGrain>(gone.Handle).ForgetAsync(gone.Address, gone.Sequence);
            }
            catch (Exception e)
            {
                // The handle's own count bound still holds; only its row outlives this event.
                LogForgetFailed(gone.Handle, gone.Address, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> ListAsync()
    {
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.Retention.TotalMilliseconds;
        return Task.FromResult<IReadOnlyList<HistoryEvent>>([.. state.State.Log.Events.Where(e => e.AtUnixMs >= cutoff)]);
    }

    [LoggerMessage(EventId = 14101, Level = LogLevel.Warning, Message = "History of handle {Handle} could not forget address {Address}: {Reason}")]
    private partial void LogForgetFailed(string handle, string address, string reason);
}
