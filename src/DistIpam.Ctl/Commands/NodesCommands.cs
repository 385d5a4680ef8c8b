using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>nodes list|show|drain</c>.</summary>
public static class NodesCommands
{
    /// <summary>The <c>nodes</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var list = new Command("list", "Nodes with blocks, allocations, last heartbeat and lease state.");
        list.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var response = await Nodes(context).ListNodesAsync(new ListNodesRequest(), cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () =>
            {
                var table = Tables.Create("NODE", "LEASE", "LAST SEEN", "BLOCKS", "ALLOCATIONS", "AGENT");
                foreach (var node in response.Nodes)
                {
                    table.Row(node.Name, LeaseOf(node.LeaseState), Ago(node.LastSeenUnixMs), node.Blocks.ToString(CultureInfo.InvariantCulture), node.Allocations.ToString(CultureInfo.InvariantCulture), node.AgentVersion);
                }

                return table;
            });
            return ExitCodes.Ok;
        }));

        var showName = new Argument<string>("node") { Description = "Node name." };
        var show = new Command("show", "One node with its blocks.") { showName };
        show.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var node = await Nodes(context).GetNodeAsync(new GetNodeRequest { Name = context.Parse.GetValue(showName) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(node, () => new Rows(Tables.Fields(
                ("Node", node.Name),
                ("Lease", LeaseOf(node.LeaseState)),
                ("Last seen", Ago(node.LastSeenUnixMs)),
                ("First seen", Time(node.FirstSeenUnixMs)),
                ("Agent", node.AgentVersion),
                ("Addresses", string.Join(", ", node.Addresses)),
                ("Blocks", string.Join(", ", node.BlockNames)),
                ("Allocations", node.Allocations.ToString(CultureInfo.InvariantCulture)),
                ("Drained", node.DrainedAtUnixMs == 0 ? "" : $"{Time(node.DrainedAtUnixMs)} ({node.DrainReason})")), BlockTree(node)));
            return ExitCodes.Ok;
        }));

        var drainName = new Argument<string>("node") { Description = "Node name." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask (required when not on a terminal)." };
        var force = new Option<bool>("--force") { Description = "Drain even though the node's lease is alive (the node is gone but its lease has not expired yet)." };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the IP history), default 'drained by an operator'." };
        var drain = new Command("drain", "Release every address of a dead node's pods and return its blocks (refused while its lease is alive, unless --force).") { drainName, yes, force, reason };
        drain.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var name = context.Parse.GetValue(drainName)!;
            var alive = await AliveLastSeenAsync(context, name);
            if (alive is { } lastSeen && !context.Parse.GetValue(force))
            {
                // --yes confirms the release, not that the node is dead: a live node's pods still use
                // these addresses, and handing them out again makes duplicates (docs/operations.md, "A node died").
                throw new UsageException($"node {name} is alive (last heartbeat {Ago(lastSeen)}): draining it releases addresses its pods may still use; if the node is really gone, stop its runtime and add --force");
            }

            if (!context.Parse.GetValue(yes))
            {
                if (!context.Io.Interactive)
                {
                    throw new UsageException($"draining node {name} releases every address of its pods; add --yes to confirm");
                }

                var question = alive is null
                    ? $"Release every address of node {name}'s pods and return its blocks?"
                    : $"Node {name} is alive (last heartbeat {Ago(alive.Value)}). Release every address of its pods anyway?";
                if (!await context.Printer.Console.ConfirmAsync(question, defaultValue: false, context.CancellationToken))
                {
                    return ExitCodes.Failure;
                }
            }

            var response = await context.Printer.WithProgressAsync(
                $"Draining node {name}...",
                async () => await Nodes(context).DrainNodeAsync(new DrainNodeRequest { Node = name, Reason = context.Parse.GetValue(reason) ?? "", RefuseIfAlive = !context.Parse.GetValue(force) }, cancellationToken: context.CancellationToken));
            context.Printer.Print(response, () => new Text($"node {name} drained: {response.AddressesReleased} address(es) released, {response.BlocksReleased.Count} block(s) returned\n"));
            return ExitCodes.Ok;
        }));

        return new Command("nodes", "Node leases and draining.") { list, show, drain };
    }

    /// <summary>"12s ago", "-" for never.</summary>
    public static string Ago(long unixMs)
    {
        if (unixMs == 0)
        {
            return "never";
        }

        var age = DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s ago"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h ago"
            : $"{(int)age.TotalDays}d ago";
    }

    /// <summary>An ISO 8601 UTC time, "" for 0.</summary>
    public static string Time(long unixMs) =>
        unixMs == 0 ? "" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The last heartbeat of <paramref name="node"/> when its lease is alive; null otherwise (expired, unknown, drained, never seen).</summary>
    private static async Task<long?> AliveLastSeenAsync(CtlContext context, string node)
    {
        try
        {
            var info = await Nodes(context).GetNodeAsync(new GetNodeRequest { Name = node }, cancellationToken: context.CancellationToken);
            return info.LeaseState == LeaseState.Alive ? info.LastSeenUnixMs : null;
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            // A node the server has never seen has no lease to protect; the drain answers for it as before.
            return null;
        }
    }

    private static string LeaseOf(LeaseState state) => state switch
    {
        LeaseState.Alive => "alive",
        LeaseState.Expired => "expired",
        LeaseState.Drained => "drained",
        _ => "unknown",
    };

    private static Api.V1.Nodes.NodesClient Nodes(CtlContext context) => context.Client.Nodes;

    /// <summary>The node's blocks as a tree: pool, then its blocks ("pool/cidr" names split at the first '/').</summary>
    private static Tree BlockTree(NodeInfo node)
    {
        var tree = new Tree($"Blocks of {Markup.Escape(node.Name)} ({node.BlockNames.Count})");
        foreach (var pool in node.BlockNames.Select(b => (Pool: b[..Math.Max(0, b.IndexOf('/', StringComparison.Ordinal))], Cidr: b[(b.IndexOf('/', StringComparison.Ordinal) + 1)..])).GroupBy(b => b.Pool, StringComparer.Ordinal))
        {
            var branch = tree.AddNode(Markup.Escape(pool.Key));
            foreach (var block in pool)
            {
                branch.AddNode(Markup.Escape(block.Cidr));
            }
        }

        return tree;
    }
}
