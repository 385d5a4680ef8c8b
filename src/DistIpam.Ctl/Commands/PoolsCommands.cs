using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;

namespace DistIpam.Ctl.Commands;

/// <summary><c>pools list|show|create|update|delete</c>.</summary>
public static class PoolsCommands
{
    /// <summary>The <c>pools</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var pools = new Command("pools", "List, show, create, update and delete pools.");

        var list = new Command("list", "Every pool.");
        list.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var response = await context.Client.Pools.ListPoolsAsync(new ListPoolsRequest(), cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () => ListTable(response.Pools));
            return ExitCodes.Ok;
        }));

        var showName = new Argument<string>("name") { Description = "Pool name." };
        var show = new Command("show", "One pool's definition.") { showName };
        show.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var pool = await context.Client.Pools.GetPoolAsync(new GetPoolRequest { Name = context.Parse.GetValue(showName) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(pool, () => ShowTable(pool));
            return ExitCodes.Ok;
        }));

        var spec = new PoolSpecOptions(forCreate: true);
        var create = new Command("create", "Create a pool.");
        spec.AddTo(create);
        create.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var pool = spec.ToPool(context.Parse, new Pool { Name = context.Parse.GetValue(spec.Name) });
            var created = await context.Client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = pool }, cancellationToken: context.CancellationToken);
            context.Printer.Print(created, () => ShowTable(created));
            return ExitCodes.Ok;
        }));

        var changes = new PoolSpecOptions(forCreate: false);
        var update = new Command("update", "Change what is safe to change on a live pool: reserved ranges, strict affinity, max blocks per node, disabled, routes.");
        changes.AddTo(update);
        update.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var current = await context.Client.Pools.GetPoolAsync(new GetPoolRequest { Name = context.Parse.GetValue(changes.Name) }, cancellationToken: context.CancellationToken);
            var updated = await context.Client.Pools.UpdatePoolAsync(new UpdatePoolRequest { Pool = changes.ToPool(context.Parse, current) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(updated, () => ShowTable(updated));
            return ExitCodes.Ok;
        }));

        var deleteName = new Argument<string>("name") { Description = "Pool name." };
        var delete = new Command("delete", "Delete a pool (refused while any address is allocated from it).") { deleteName };
        delete.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var name = context.Parse.GetValue(deleteName)!;
            var response = await context.Client.Pools.DeletePoolAsync(new DeletePoolRequest { Name = name }, cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () => new Spectre.Console.Text($"pool {name} deleted\n"));
            return ExitCodes.Ok;
        }));

        pools.Subcommands.Add(list);
        pools.Subcommands.Add(show);
        pools.Subcommands.Add(create);
        pools.Subcommands.Add(update);
        pools.Subcommands.Add(delete);
        return pools;
    }

    private static Spectre.Console.Table ListTable(IEnumerable<Pool> pools)
    {
        var table = Tables.Create("NAME", "CIDR", "FAMILY", "BLOCK", "KIND", "WIRING", "STRICT", "MAX/NODE", "DISABLED", "RESERVED");
        foreach (var pool in pools)
        {
            table.Row(
                pool.Name,
                pool.Cidr,
                Names.Family(pool.Family),
                "/" + pool.BlockPrefixLength.ToString(CultureInfo.InvariantCulture),
                Names.Kind(pool.Kind),
                Names.Wiring(pool.Wiring),
                Names.YesNo(pool.StrictAffinity),
                pool.MaxBlocksPerNode == 0 ? "unlimited" : pool.MaxBlocksPerNode.ToString(CultureInfo.InvariantCulture),
                Names.YesNo(pool.Disabled),
                string.Join(",", pool.ReservedRanges));
        }

        return table;
    }

    private static Spectre.Console.Table ShowTable(Pool pool) => Tables.Fields(
        ("Name", pool.Name),
        ("CIDR", pool.Cidr),
        ("Family", Names.Family(pool.Family)),
        ("Block prefix", "/" + pool.BlockPrefixLength.ToString(CultureInfo.InvariantCulture)),
        ("Kind", Names.Kind(pool.Kind)),
        ("Wiring", Names.Wiring(pool.Wiring)),
        ("Strict affinity", Names.YesNo(pool.StrictAffinity)),
        ("Max blocks/node", pool.MaxBlocksPerNode == 0 ? "unlimited" : pool.MaxBlocksPerNode.ToString(CultureInfo.InvariantCulture)),
        ("Disabled", Names.YesNo(pool.Disabled)),
        ("Reserved", string.Join(", ", pool.ReservedRanges)),
        ("Routes", string.Join(", ", pool.Routes.Select(r => string.IsNullOrEmpty(r.Gw) ? r.Dst : $"{r.Dst} via {r.Gw}"))));
}
