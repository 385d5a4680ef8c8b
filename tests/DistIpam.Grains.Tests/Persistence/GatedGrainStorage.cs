using Orleans.Storage;

namespace DistIpam.Grains.Tests.Persistence;

/// <summary>Grain storage that passes every call to <paramref name="inner"/>, writes after the <see cref="WriteGate"/> lets them (and fails them after they landed when it says so).</summary>
internal sealed class GatedGrainStorage(IGrainStorage inner, WriteGate gate) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var lostReply = await gate.WaitAsync(grainId);
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (lostReply is not null)
        {
            throw lostReply;
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
