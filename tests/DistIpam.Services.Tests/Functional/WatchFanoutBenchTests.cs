using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace DistIpam.Services.Tests.Functional;

/// <summary>
/// A measurement, not a timed assertion: the delay from an endpoint change (the upsert call
/// starting) to its delivery to each of 1,000 concurrent watchers, median and p99, printed.
/// It asserts only that every watcher gets every change.
/// </summary>
public sealed class WatchFanoutBenchTests(ITestOutputHelper output)
{
    private const int Watchers = 1_000;
    private const int Rounds = 20;
    private const int Channels = 10;

    [Fact]
    public async Task Watch_1000Watchers_EveryChangeDeliveredToAllAndDelayReported()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "services-fanout" });
        var channels = Enumerable.Range(0, Channels).Select(_ => GrpcChannel.ForAddress(server.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        })).ToList();
        try
        {
            var client = new Api.V1.Services.ServicesClient(channels[0]);
            var ns = Svc.UniqueNamespace("fanout");
            await client.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "web") });
            var first = await client.UpsertEndpointsAsync(Svc.Upsert(ns, "web", Svc.Endpoint("pod-0", "10.1.0.1")));
            var clock = Stopwatch.StartNew();
            var receipts = new ConcurrentDictionary<long, ConcurrentBag<long>>();
            using var stop = new CancellationTokenSource();
            var ready = 0;
            var readers = Enumerable.Range(0, Watchers).Select(i => Task.Run(async () =>
            {
                using var call = new Api.V1.Services.ServicesClient(channels[i % Channels]).Watch(
                    new WatchRequest { FromVersion = first.Slices[0].Version, Namespace = ns }, cancellationToken: stop.Token);
                Interlocked.Increment(ref ready);
                try
                {
                    while (await call.ResponseStream.MoveNext(stop.Token))
                    {
                        var e = call.ResponseStream.Current;
                        if (e.ObjectCase == WatchEvent.ObjectOneofCase.Slice)
                        {
                            receipts.GetOrAdd(e.Version, _ => []).Add(clock.ElapsedTicks);
                        }
                    }
                }
                catch (RpcException) when (stop.IsCancellationRequested)
                {
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            })).ToList();
            await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref ready) == Watchers ? null : $"{ready} watchers started"), TimeSpan.FromSeconds(60), $"{Watchers} watchers");

            // Warm-up change: every watcher is registered once it has seen it.
            await ChangeAndWaitAsync(client, ns, 0, receipts, clock);
            var delays = new List<double>();
            var afterAck = new List<double>();
            for (var round = 1; round <= Rounds; round++)
            {
                var (fromStart, fromAck) = await ChangeAndWaitAsync(client, ns, round, receipts, clock);
                delays.AddRange(fromStart);
                afterAck.AddRange(fromAck);
            }

            await stop.CancelAsync();
            await Task.WhenAll(readers);
            output.WriteLine(Summary($"upsert call start -> delivery to {Watchers} watchers, {Rounds} changes", delays));
            output.WriteLine(Summary("upsert acknowledged -> delivery (negative: delivered before the reply)", afterAck));
        }
        finally
        {
            channels.ForEach(c => c.Dispose());
        }
    }

    private static string Summary(string what, List<double> delays)
    {
        delays.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{what} ({delays.Count} deliveries): median {delays[delays.Count / 2]:0.0} ms, p99 {delays[(int)(delays.Count * 0.99)]:0.0} ms, max {delays[^1]:0.0} ms");
    }

    private static async Task<(List<double> FromStart, List<double> FromAck)> ChangeAndWaitAsync(Api.V1.Services.ServicesClient client, string ns, int round, ConcurrentDictionary<long, ConcurrentBag<long>> receipts, Stopwatch clock)
    {
        var endpoint = Svc.Endpoint("pod-0", "10.1.0.1");
        endpoint.Zone = "round-" + round.ToString(CultureInfo.InvariantCulture);
        var started = clock.ElapsedTicks;
        var version = (await client.UpsertEndpointsAsync(Svc.Upsert(ns, "web", endpoint))).Slices[0].Version;
        var acked = clock.ElapsedTicks;
        await Poll.UntilAsync(
            () => Task.FromResult(receipts.TryGetValue(version, out var bag) && bag.Count >= Watchers ? null : $"{(receipts.TryGetValue(version, out var b) ? b.Count : 0)} of {Watchers} watchers got version {version}"),
            TimeSpan.FromSeconds(60),
            $"all {Watchers} watchers to get version {version}");
        return (
            [.. receipts[version].Select(t => (t - started) * 1000.0 / Stopwatch.Frequency)],
            [.. receipts[version].Select(t => (t - acked) * 1000.0 / Stopwatch.Frequency)]);
    }
}
