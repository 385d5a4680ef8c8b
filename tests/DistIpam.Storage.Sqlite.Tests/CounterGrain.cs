namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>Persists <see cref="TestState"/> through the default storage provider.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<TestState> state) : Grain, ICounterGrain
{
    public async Task<int> AddAsync(int delta)
    {
        state.State.Value += delta;
        state.State.Text = $"after +{delta}";
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);
}
