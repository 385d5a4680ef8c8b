namespace DistIpam.Server.Nodes;

/// <summary>The names of every node that ever sent a heartbeat or was drained (one grain; written only when a node is new).</summary>
public interface INodeRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one key.</summary>
    const string Key = "all";

    /// <summary>Adds a node; durable before it returns. Idempotent.</summary>
    Task AddAsync(string node);

    /// <summary>Every registered node, in name order.</summary>
    Task<IReadOnlyList<string>> ListAsync();
}
