namespace DistIpam.Server.History;

/// <summary>The history of one address (key = the address, canonical text; pools of a family never overlap).</summary>
public interface IAddressHistoryGrain : IGrainWithStringKey
{
    /// <summary>Appends events (skipping facts already recorded); durable before it returns.</summary>
    Task AppendAsync(IReadOnlyList<HistoryEvent> events);

    /// <summary>The events, oldest first, within the retention time.</summary>
    Task<IReadOnlyList<HistoryEvent>> ListAsync();
}
