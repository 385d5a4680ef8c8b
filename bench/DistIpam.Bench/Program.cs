using System.CommandLine;
using DistIpam.Bench;
using DistIpam.Bench.Scenarios;

var smoke = new Option<bool>("--smoke") { Description = "A few operations per scenario, to check that it works (numbers mean nothing)." };
var results = new Option<string?>("--results") { Description = "Directory for the JSON results (default bench/results)." };
var images = new Option<string?>("--images") { Description = "Directory for PNG plots (default docs/images; results/images with --smoke)." };

var root = new RootCommand("DistIpam benchmarks: each command runs one scenario, prints a table and writes bench/results/<scenario>-<time>.json.");
root.Options.Add(smoke);
root.Options.Add(results);
root.Options.Add(images);
foreach (var option in root.Options)
{
    option.Recursive = true;
}

var operations = new Option<int?>("--operations", "-n") { Description = "ADDs (then DELs) per case and plugin (default 400; the agent targets are stated at 20 and 110)." };
var callers = new Option<string?>("--callers") { Description = "Concurrent callers, one case each, comma-separated (default 1,4)." };
var cni = new Command("cni", "Exec the AOT distipam plugin (direct and through distipam-agent) and host-local: ADD/DEL latency, dual-stack and IPv4, 1 and 4 callers, and where an agent ADD's time goes.") { operations, callers };
cni.SetAction((parse, _) => Run(parse, c => CniScenario.RunAsync(c, WithCallers(WithOperations(c.Smoke ? CniOptions.Smoke : CniOptions.Default, parse.GetValue(operations)), parse.GetValue(callers)))));

var reserve = new Option<int?>("--reserve") { Description = "The agent's reserve per family (default 8, the agent's default)." };
var agentAway = new Command("agent-away", "Server stopped: ADDs through distipam-agent until code 11, then the confirmation lag once the server is back.") { reserve };
agentAway.SetAction((parse, _) => Run(parse, c => AgentAwayScenario.RunAsync(c, parse.GetValue(reserve) ?? (c.Smoke ? 2 : 8))));

var nodes = new Option<int?>("--nodes") { Description = "Simulated nodes (concurrent clients; default 64)." };
var seconds = new Option<int?>("--seconds") { Description = "Measured seconds per workload (default 20, split in two alternating rounds)." };
var throughput = new Command("throughput", "Dual-stack Allocate+Release over gRPC from many nodes vs the same concurrency calling Health/Check.") { nodes, seconds };
throughput.SetAction((parse, _) => Run(parse, c => ThroughputScenario.RunAsync(c, ThroughputOptions.For(c.Smoke, parse.GetValue(nodes), parse.GetValue(seconds)))));

var poolPrefix = new Option<int?>("--pool-prefix") { Description = "Prefix length of the filled IPv4 pool (default 20, /26 blocks)." };
var fill = new Command("fill", "Fill a dedicated pool to 95% with plugin ADDs; latency per 5% utilization band, host-local on an equal range.") { poolPrefix };
fill.SetAction((parse, _) => Run(parse, c => FillScenario.RunAsync(c, FillOptions.For(c.Smoke, parse.GetValue(poolPrefix)))));

var allocations = new Option<int?>("--allocations") { Description = "Dual-stack allocations (default 150000)." };
var scaleNodes = new Option<int?>("--nodes") { Description = "Simulated nodes (default 5000)." };
var minutes = new Option<int?>("--minutes") { Description = "Time budget of the fill; it stops there and reports how far it got (default 30)." };
var scale = new Command("scale", "Fill the embedded server with many dual-stack allocations; time, RSS, cold restart to first ADD.") { allocations, scaleNodes, minutes };
scale.SetAction((parse, _) => Run(parse, c => ScaleScenario.RunAsync(c, ScaleOptions.For(c.Smoke, parse.GetValue(allocations), parse.GetValue(scaleNodes), parse.GetValue(minutes)))));

var failover = new Command("failover", "3 silos on Redis via deploy/local/cluster.sh; steady load; kill -9 one silo.");
failover.SetAction((parse, _) => Run(parse, c => FailoverScenario.RunAsync(c, FailoverOptions.For(c.Smoke))));

// One after another, never together: each scenario must have the machine to itself.
var all = new Command("all", "Every scenario in turn with its defaults (about 15 minutes here), then one summary of the targets.");
all.SetAction(async (parse, _) =>
{
    var context = Context(parse);
    var reports = new List<DistIpam.Bench.Reporting.ScenarioReport>();
    foreach (var scenario in new Func<BenchContext, Task<DistIpam.Bench.Reporting.ScenarioReport>>[]
    {
        c => CniScenario.RunAsync(c, c.Smoke ? CniOptions.Smoke : CniOptions.Default),
        c => AgentAwayScenario.RunAsync(c, c.Smoke ? 2 : 8),
        c => ThroughputScenario.RunAsync(c, ThroughputOptions.For(c.Smoke, null, null)),
        c => FillScenario.RunAsync(c, FillOptions.For(c.Smoke, null)),
        c => ScaleScenario.RunAsync(c, ScaleOptions.For(c.Smoke, null, null, null)),
        c => FailoverScenario.RunAsync(c, FailoverOptions.For(c.Smoke)),
    })
    {
        reports.Add(await ScenarioRunner.RunAsync(context, scenario));
    }

    await context.Output.WriteAsync(DistIpam.Bench.Reporting.ReportWriter.FormatTargets(reports));
    return 0;
});

root.Subcommands.Add(cni);
root.Subcommands.Add(agentAway);
root.Subcommands.Add(throughput);
root.Subcommands.Add(fill);
root.Subcommands.Add(scale);
root.Subcommands.Add(failover);
root.Subcommands.Add(all);
return await root.Parse(args).InvokeAsync();

BenchContext Context(ParseResult parse) => BenchContext.Create(parse.GetValue(smoke), Console.Out, parse.GetValue(results), parse.GetValue(images));

async Task<int> Run(ParseResult parse, Func<BenchContext, Task<DistIpam.Bench.Reporting.ScenarioReport>> scenario)
{
    await ScenarioRunner.RunAsync(Context(parse), scenario);
    return 0;
}

static CniOptions WithOperations(CniOptions options, int? operations) => operations is { } n ? options with { Operations = n } : options;

static CniOptions WithCallers(CniOptions options, string? callers) =>
    string.IsNullOrWhiteSpace(callers)
        ? options
        : options with { Concurrency = [.. callers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))] };
