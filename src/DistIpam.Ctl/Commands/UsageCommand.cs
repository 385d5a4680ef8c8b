using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>usage [--pool] [--node]</c>: size, blocks and allocations per pool and node.</summary>
public static class UsageCommand
{
    /// <summary>The <c>usage</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var pool = new Option<string?>("--pool") { Description = "Only this pool." };
        var node = new Option<string?>("--node") { Description = "Only this node's rows." };
        var forecast = new Option<bool>("--forecast") { Description = "Capacity per pool and when it will be full at the recent allocation rate (cooldown and stranded addresses counted)." };
        var usage = new Command("usage", "Addresses allocated and blocks claimed, per pool and per node.") { pool, node, forecast };
        usage.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            if (context.Parse.GetValue(forecast))
            {
                var found = await new Capacity.CapacityClient(context.Client.CallInvoker(0)).GetForecastAsync(new GetForecastRequest { SampleNow = true }, cancellationToken: context.CancellationToken);
                var only = context.Parse.GetValue(pool);
                var shown = new GetForecastResponse();
                shown.Pools.AddRange(found.Pools.Where(p => only is null || p.Pool == only));
                context.Printer.Print(shown, () => ForecastTable(shown));
                return ExitCodes.Ok;
            }

            var response = await context.Client.Pools.GetUsageAsync(new GetUsageRequest { Pool = context.Parse.GetValue(pool) ?? "", Node = context.Parse.GetValue(node) ?? "" }, cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () => Render(response));
            return ExitCodes.Ok;
        }));
        return usage;
    }

    private static Rows Render(GetUsageResponse response)
    {
        var pools = Tables.Create("POOL", "SIZE", "ALLOCATED", "USED", "BLOCKS", "FREE BLOCKS");
        foreach (var pool in response.Pools)
        {
            pools.Row(pool.Pool, pool.Size, pool.Allocated.ToString(CultureInfo.InvariantCulture), Percent(pool.Allocated, pool.Size), pool.BlocksClaimed.ToString(CultureInfo.InvariantCulture), pool.BlocksFree);
        }

        var nodes = Tables.Create("NODE", "POOL", "BLOCKS", "ALLOCATED");
        foreach (var node in response.Nodes)
        {
            nodes.Row(node.Node, node.Pool, node.Blocks.ToString(CultureInfo.InvariantCulture), node.Allocated.ToString(CultureInfo.InvariantCulture));
        }

        return new Rows(pools, nodes);
    }

    private static Table ForecastTable(GetForecastResponse response)
    {
        var table = Tables.Create("POOL", "SIZE", "IN USE", "COOLDOWN", "STRANDED", "BORROWED", "ALLOCATABLE", "RATE/H", "FULL IN", "FULL AT");
        foreach (var pool in response.Pools)
        {
            table.Row(
                pool.Pool,
                Number(pool.Size),
                pool.InUse.ToString(CultureInfo.InvariantCulture),
                pool.Cooldown.ToString(CultureInfo.InvariantCulture),
                pool.Stranded.ToString(CultureInfo.InvariantCulture),
                pool.Borrowed.ToString(CultureInfo.InvariantCulture),
                Number(pool.Allocatable),
                pool.RatePerHour.ToString("0.#", CultureInfo.InvariantCulture),
                pool.SecondsToFull < 0 ? "never" : Duration(pool.SecondsToFull),
                pool.FullAtUnixMs == 0 ? "" : NodesCommands.Time(pool.FullAtUnixMs));
        }

        return table;
    }

    private static string Number(double value) => value < 1e15 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##e+0", CultureInfo.InvariantCulture);

    private static string Duration(double seconds) =>
        seconds > 100 * 365 * 86_400.0 ? "> 100 years" : seconds < 3600 ? $"{seconds / 60:0}m" : seconds < 172_800 ? $"{seconds / 3600:0.#}h" : $"{seconds / 86_400:0.#}d";

    /// <summary>Used share of a pool, e.g. "12.5%" ("&lt;0.01%" for a huge IPv6 pool).</summary>
    public static string Percent(long allocated, string size)
    {
        if (!BigInteger.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var total) || total.IsZero)
        {
            return "-";
        }

        var basisPoints = (double)(new BigInteger(allocated) * 10_000 / total);
        return allocated > 0 && basisPoints < 1 ? "<0.01%" : (basisPoints / 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }
}
