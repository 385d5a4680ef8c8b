using System.Collections.Concurrent;

namespace DistIpam.Grains.Tests.Persistence;

/// <summary>
/// Holds the storage writes of chosen grains until the test lets them through, and says when one
/// arrived, so a test can see what a grain answers while its write is still pending, without
/// waiting for time to pass, and can fail them as an outage would (before or after they land). Writes of other grains pass at once.
/// </summary>
public sealed class WriteGate
{
    private readonly ConcurrentDictionary<GrainId, Hold> _holds = new();

    /// <summary>
    /// Holds every write of <paramref name="grain"/> from now until <see cref="Hold.Release"/>, after
    /// letting the next <paramref name="passFirst"/> writes through.
    /// </summary>
    public Hold HoldWrites(GrainId grain, int passFirst = 0)
    {
        var hold = new Hold(this, grain, passFirst);
        if (!_holds.TryAdd(grain, hold))
        {
            throw new InvalidOperationException($"writes of {grain} are already held");
        }

        return hold;
    }

    /// <summary>
    /// Called by the storage before each write: waits while the grain's writes are held. Completes
    /// with an error to throw after the write landed (a lost reply), or null.
    /// </summary>
    internal Task<Exception?> WaitAsync(GrainId grain)
    {
        if (!_holds.TryGetValue(grain, out var hold) || hold.Passes())
        {
            return Task.FromResult<Exception?>(null);
        }

        hold.Arrived();
        return hold.Released;
    }

    /// <summary>One grain's held writes.</summary>
    public sealed class Hold(WriteGate gate, GrainId grain, int passFirst)
    {
        private int _toPass = passFirst;

        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Exception?> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first held write has reached the storage.</summary>
        public Task WriteArrived => _arrived.Task;

        internal Task<Exception?> Released => _released.Task;

        /// <summary>Lets the held writes (and every later one) through.</summary>
        public void Release()
        {
            gate._holds.TryRemove(grain, out _);
            _released.TrySetResult(null);
        }

        /// <summary>Fails the held writes with <paramref name="error"/> (a storage outage); later writes pass.</summary>
        public void Fail(Exception error)
        {
            gate._holds.TryRemove(grain, out _);
            _released.TrySetException(error);
        }

        /// <summary>
        /// Lets the held writes land and then fails them with <paramref name="error"/>: a commit whose
        /// outcome the grain cannot know. Later writes pass.
        /// </summary>
        public void LoseReply(Exception error)
        {
            gate._holds.TryRemove(grain, out _);
            _released.TrySetResult(error);
        }

        internal void Arrived() => _arrived.TrySetResult();

        internal bool Passes() => Interlocked.Decrement(ref _toPass) >= 0;
    }
}
