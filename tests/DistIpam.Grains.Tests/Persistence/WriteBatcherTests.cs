using System.Runtime.CompilerServices;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Tests.Persistence;

/// <summary>
/// The group-commit helper on its own. Writes are driven by the test: each write waits for a
/// completion source the test sets. The tests run without a synchronization context
/// (<see cref="OffTheTestContext"/>), so setting it runs the batcher's next step inline, before
/// the test goes on: one step at a time, as on a grain's single-threaded scheduler.
/// </summary>
public sealed class WriteBatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<TaskCompletionSource> _writes = [];
    private int _writesStarted;
    private readonly RecordingLogger _logger = new();
    private int _failures;

    [Fact]
    public async Task CommitAsync_ThreeCallersWhileAWriteRuns_ShareTheNextWrite()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.None);
        var first = batcher.CommitAsync();
        var joined = new[] { batcher.CommitAsync(), batcher.CommitAsync(), batcher.CommitAsync() };

        _writes[0].SetResult();
        await first.WaitAsync(Deadline);
        Assert.Equal(2, _writes.Count);
        Assert.All(joined, t => Assert.False(t.IsCompleted, "a commit answered before the write that covers it"));

        _writes[1].SetResult();
        await Task.WhenAll(joined).WaitAsync(Deadline);
        Assert.Equal(2, _writes.Count);
    }

    [Fact]
    public async Task CommitAsync_WriteFails_ThisAndEveryLaterCommitFailsUnavailable()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.None);
        var first = batcher.CommitAsync();
        var waiting = batcher.CommitAsync();

        _writes[0].SetException(new InvalidOperationException("disk on fire"));

        await AssertUnavailableAsync(first);
        await AssertUnavailableAsync(waiting);
        await AssertUnavailableAsync(batcher.CommitAsync());
        Assert.Single(_writes);
        Assert.Equal(1, _failures);
    }

    [Fact]
    public async Task WhenDurableAsync_AfterAFailedWrite_FailsUnavailable()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.None);
        var commit = batcher.CommitAsync();
        _writes[0].SetException(new InvalidOperationException("disk on fire"));
        await AssertUnavailableAsync(commit);

        // Memory may hold what storage lost: a read must not answer from it.
        await AssertUnavailableAsync(batcher.WhenDurableAsync());
    }

    [Fact]
    public async Task ThrowIfFailed_BeforeAndAfterAFailedWrite_ThrowsOnlyAfter()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.None);
        batcher.ThrowIfFailed();
        var commit = batcher.CommitAsync();
        batcher.ThrowIfFailed();

        _writes[0].SetException(new InvalidOperationException("disk on fire"));
        await AssertUnavailableAsync(commit);

        var error = Assert.Throws<IpamGrainException>(batcher.ThrowIfFailed);
        Assert.Equal(IpamErrorKind.Unavailable, error.Kind);
        Assert.Contains("test-grain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenDurableAsync_WriteInFlight_CompletesOnlyAfterIt()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.None);
        _ = batcher.CommitAsync();
        var durable = batcher.WhenDurableAsync();
        Assert.False(durable.IsCompleted);

        _writes[0].SetResult();
        await durable.WaitAsync(Deadline);
        Assert.True(batcher.WhenDurableAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CommitAsync_AcknowledgeBeforeWrite_AnswersBeforeTheWriteWhichStillRuns()
    {
        await OffTheTestContext();
        var batcher = Create(BrokenVariant.AcknowledgeBeforeWrite);

        var commit = batcher.CommitAsync();

        Assert.True(commit.IsCompletedSuccessfully, "the broken variant must answer before its write");
        Assert.Empty(_writes);
        var writes = await Eventually.MatchesAsync(
            () => Task.FromResult(Volatile.Read(ref _writesStarted)),
            n => n == 1,
            $"the write to start behind the answer (after {WriteBatcher.BrokenWriteBehind.TotalMilliseconds} ms)",
            n => $"{n} writes started");
        Assert.Equal(1, writes);
        _writes[0].SetResult();
        await batcher.WhenDurableAsync().WaitAsync(Deadline);
    }

    [Fact]
    public void Constructor_BrokenVariantOn_WarnsOnceNamingTheGrainAndVariant()
    {
        _ = Create(BrokenVariant.AcknowledgeBeforeWrite);
        var quiet = new RecordingLogger();
        _ = new WriteBatcher("other-grain", () => Task.CompletedTask, () => { }, BrokenVariant.None, quiet);

        var (level, message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("test-grain", message, StringComparison.Ordinal);
        Assert.Contains(nameof(BrokenVariant.AcknowledgeBeforeWrite), message, StringComparison.Ordinal);
        Assert.Empty(quiet.Entries);
    }

    private static ConfiguredTaskAwaitable OffTheTestContext() =>
        Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    private WriteBatcher Create(BrokenVariant variant) => new(
        "test-grain",
        () =>
        {
            var write = new TaskCompletionSource();
            _writes.Add(write);
            Interlocked.Increment(ref _writesStarted);
            return write.Task;
        },
        () => _failures++,
        variant,
        _logger);

    private static async Task AssertUnavailableAsync(Task task)
    {
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => task.WaitAsync(Deadline));
        Assert.Equal(IpamErrorKind.Unavailable, error.Kind);
    }
}
