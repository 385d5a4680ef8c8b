namespace DistIpam.Server.History;

/// <summary>One handle's history. Not reentrant; a failed write deactivates it (rule 3).</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class HandleHistoryGrain(
    [PersistentState("handlehistory", HistoryStorage.Name)] IPersistentState<HistoryState> state,
    HistoryOptions options,
    TimeProvider time) : Grain, IHandleHistoryGrain
{
    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<HistoryEvent> events)
    {
        var (changed, _) = state.State.Log.Append(events, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Retention, options.MaxEventsPerHandle);
        if (changed)
        {
            await WriteAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> ListAsync() => Task.FromResult<IReadOnlyList<HistoryEvent>>([.. state.State.Log.Events]);

    /// <inheritdoc />
    public async Task ForgetAsync(string address, ulong sequence)
    {
        if (state.State.Log.Events.RemoveAll(e => e.Address == address && e.Sequence == sequence) == 0)
        {
            return;
        }

        await WriteAsync();
    }

    private async Task WriteAsync()
    {
        try
        {
            if (state.State.Log.Events.Count == 0)
            {
                await state.ClearStateAsync();
            }
            else
            {
                await state.WriteStateAsync();
            }
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
