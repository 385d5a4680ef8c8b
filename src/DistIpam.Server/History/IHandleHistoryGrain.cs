namespace DistIpam.Server.History;

/// <summary>The history of one handle (key = the handle key), kept while an address history still holds its events.</summary>
public interface IHandleHistoryGrain : IGrainWithStringKey
{
    /// <summary>Appends events (skipping facts already recorded); durable before it returns.</summary>
    Task AppendAsync(IReadOnlyList<HistoryEvent> events);

    /// <summary>The events, oldest first.</summary>
    Task<IReadOnlyList<HistoryEvent>> ListAsync();

    /// <summary>
    /// Drops the events of (<paramref name="address"/>, <paramref name="sequence"/>), which their
    /// address's history dropped; a handle with nothing left deletes its stored row, so the handle
    /// histories stay bounded by the address histories. Idempotent.
    /// </summary>
    Task ForgetAsync(string address, ulong sequence);
}
