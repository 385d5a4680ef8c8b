using System.Diagnostics;

namespace DistIpam.Bench.Measuring;

/// <summary>
/// A closed-loop load: <c>workers</c> loops, each issuing its next operation when the previous one
/// finished, for a fixed time. Failures are counted (with the first message kept), never retried.
/// </summary>
public static class ClosedLoop
{
    /// <summary>Runs <paramref name="operation"/>(worker, iteration) in every worker until <paramref name="duration"/> passes.</summary>
    public static async Task<ClosedLoopResult> RunAsync(int workers, TimeSpan duration, Func<int, long, Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        long completed = 0;
        long failed = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (long iteration = 0; clock.Elapsed < duration; iteration++)
            {
                try
                {
                    await operation(worker, iteration);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception e) when (e is Grpc.Core.RpcException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        })));
        return new ClosedLoopResult(completed, failed, clock.Elapsed, firstError);
    }
}
