using System.Collections.Concurrent;
using DistIpam.Cni.Tests.Fuzz;
using Grpc.Core;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>
/// The gRPC edge under hostile requests (docs/security.md, "Fuzzing"): every case has a field the
/// proto refuses, so it must end, in time, in a documented refusal (never OK, INTERNAL, UNKNOWN
/// or a dead server) with a short message, and the server's state must be as before, with a
/// clean consistency report. Seeded: a failure prints the seed, <see cref="FuzzSeed.Variable"/> replays it.
/// </summary>
public sealed class GrpcFuzzTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    private const int Cases = 4500;
    private const int Parallel = 4;
    private const int MaxMessageLength = 1024;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Server_HostileRequests_DocumentedRefusalsAndStateUnchanged()
    {
        var clients = new GrpcClients(fixture.Server.CreateChannel().CreateCallInvoker());
        var before = await ServerState.CaptureAsync(clients);
        var seed = FuzzSeed.Resolve();
        var cases = seed.Sample(GrpcFuzzCases.Any(), Cases);
        var failures = new ConcurrentBag<string>();

        await System.Threading.Tasks.Parallel.ForEachAsync(
            Enumerable.Range(0, cases.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel },
            async (i, _) =>
            {
                if (await ViolationAsync(clients, cases[i]) is { } violation)
                {
                    failures.Add($"case {i}: {violation}\n  {cases[i]}");
                }
            });

        var after = await ServerState.CaptureAsync(clients);
        if (after != before)
        {
            failures.Add($"the server's state changed:\nbefore: {before}\nafter: {after}");
        }

        if (await ServerState.InconsistencyAsync(clients) is { } report)
        {
            failures.Add($"the consistency report is not clean: {report}");
        }

        seed.Report("gRPC fuzz", cases.Length, [.. failures.OrderBy(f => f, StringComparer.Ordinal)]);
    }

    private static async Task<string?> ViolationAsync(GrpcClients clients, GrpcFuzzCase fuzzCase)
    {
        StatusCode status;
        string detail;
        try
        {
            await fuzzCase.Call(clients, new CallOptions(deadline: DateTime.UtcNow + CallTimeout));
            status = StatusCode.OK;
            detail = "";
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            detail = e.Status.Detail;
        }
        catch (ArgumentException)
        {
            // Google.Protobuf will not encode a lone surrogate: the case cannot reach the wire from
            // this client (the raw-bytes cases send undecodable strings instead).
            return null;
        }

        if (!fuzzCase.Allowed.Contains(status))
        {
            return $"{status}: {(detail.Length > 300 ? detail[..300] + "…" : detail)}";
        }

        return detail.Length > MaxMessageLength ? $"{status} with a {detail.Length}-character message (the input was echoed)" : null;
    }
}
