using DistIpam.Grains.Services;

namespace DistIpam.Grains.Tests.Services;

/// <summary>The operator's and the GC's one-question release of a ClusterIP or NodePort (<see cref="HeldValueReconciler{TValue}.FreeIfUnheldAsync"/>).</summary>
public sealed class HeldValueReconcilerTests
{
    private readonly HeldValueReconciler<int> _reconciler = new(TimeProvider.System, TimeSpan.FromMinutes(15));
    private readonly List<(int Value, string Holder)> _freed = [];

    [Fact]
    public async Task FreeIfUnheldAsync_HolderDoesNotHoldIt_FreesInTheSameTurn()
    {
        var freed = await _reconciler.FreeIfUnheldAsync(30080, "ns/gone", _ => Task.FromResult<Func<int, bool>>(_ => false), Free);

        Assert.True(freed);
        Assert.Equal([(30080, "ns/gone")], _freed);
    }

    [Fact]
    public async Task FreeIfUnheldAsync_HolderHoldsIt_Keeps()
    {
        var freed = await _reconciler.FreeIfUnheldAsync(30080, "ns/live", _ => Task.FromResult<Func<int, bool>>(p => p == 30080), Free);

        Assert.False(freed);
        Assert.Empty(_freed);
    }

    [Fact]
    public async Task FreeIfUnheldAsync_HandedOutToTheHolderWhileAsking_Keeps()
    {
        // A create of the same service takes the value back while the question is in flight; its
        // state is not durable yet, so the service still answers "not held".
        var freed = await _reconciler.FreeIfUnheldAsync(30080, "ns/again", holder =>
        {
            _reconciler.HandedOut(holder);
            return Task.FromResult<Func<int, bool>>(_ => false);
        }, Free);

        Assert.False(freed);
        Assert.Empty(_freed);
    }

    [Fact]
    public async Task FreeIfUnheldAsync_HandedOutToAnotherHolderWhileAsking_Frees()
    {
        var freed = await _reconciler.FreeIfUnheldAsync(30080, "ns/gone", _ =>
        {
            _reconciler.HandedOut("ns/other");
            return Task.FromResult<Func<int, bool>>(_ => false);
        }, Free);

        Assert.True(freed);
    }

    [Fact]
    public async Task FreeIfUnheldAsync_HolderCannotTell_ThrowsAndKeeps()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => _reconciler.FreeIfUnheldAsync(30080, "ns/slow", _ => throw new TimeoutException("no answer"), Free));

        Assert.Empty(_freed);
    }

    private bool Free(int value, string holder)
    {
        _freed.Add((value, holder));
        return true;
    }
}
