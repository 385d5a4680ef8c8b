using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;

namespace DistIpam.Ctl.Commands;

/// <summary><c>blocks list [--pool P] [--node N]</c>: claimed blocks with owner and fill.</summary>
public static class BlocksCommand
{
    /// <summary>The <c>blocks</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var pool = new Option<string?>("--pool") { Description = "Only this pool (default: every pool)." };
        var node = new Option<string?>("--node") { Description = "Only this node's blocks." };
        var list = new Command("list", "Claimed blocks: owner node, claim state, addresses used.") { pool, node };
        list.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var response = await ListAsync(context, context.Parse.GetValue(pool), context.Parse.GetValue(node));
            context.Printer.Print(response, () =>
            {
                var table = Tables.Create("POOL", "BLOCK", "NODE", "CLAIM", "USED", "CAPACITY", "GATEWAY");
                foreach (var block in response.Blocks)
                {
                    table.Row(block.Pool, block.Cidr, block.Node, block.Claim, block.Used.ToString(CultureInfo.InvariantCulture), block.Capacity.ToString(CultureInfo.InvariantCulture), block.Gateway);
                }

                return table;
            });
            return ExitCodes.Ok;
        }));

        return new Command("blocks", "Address blocks of pools.") { list };
    }

    /// <summary>The blocks of one pool or of every pool.</summary>
    public static async Task<ListBlocksResponse> ListAsync(CtlContext context, string? pool, string? node)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = pool is not null
            ? [pool]
            : (await context.Client.Pools.ListPoolsAsync(new ListPoolsRequest(), cancellationToken: context.CancellationToken)).Pools.Select(p => p.Name).ToList();
        var response = new ListBlocksResponse();
        foreach (var name in names)
        {
            var blocks = await context.Client.Pools.ListBlocksAsync(new ListBlocksRequest { Pool = name, Node = node ?? "" }, cancellationToken: context.CancellationToken);
            response.Blocks.AddRange(blocks.Blocks);
        }

        return response;
    }
}
