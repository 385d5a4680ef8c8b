using DistIpam.Grains.Persistence;

namespace DistIpam.Server.Nodes;

/// <summary>The node registry. Not reentrant; a failed write deactivates it (rule 3).</summary>
public sealed class NodeRegistryGrain(
    [PersistentState("noderegistry", StorageNames.Ipam)] IPersistentState<NodeRegistryState> state) : Grain, INodeRegistryGrain
{
    /// <inheritdoc />
    public async Task AddAsync(string node)
    {
        if (state.State.Nodes.Contains(node))
        {
            return;
        }

        state.State.Nodes.Add(node);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Nodes.Remove(node);
            DeactivateOnIdle();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Nodes]);
}
