using System.CommandLine;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Commands;

/// <summary>The options of <c>pools create</c> (all) and <c>pools update</c> (the mutable ones, unset = unchanged).</summary>
public sealed class PoolSpecOptions
{
    private readonly bool _forCreate;

    /// <summary>Creates the options for create (<paramref name="forCreate"/>) or update.</summary>
    public PoolSpecOptions(bool forCreate)
    {
        _forCreate = forCreate;
        Cidr.Required = forCreate;
    }

    public Argument<string> Name { get; } = new("name") { Description = "Pool name." };

    public Option<string> Cidr { get; } = new("--cidr") { Description = "The pool's CIDR, e.g. 10.244.0.0/16." };

    public Option<int?> BlockPrefix { get; } = new("--block-prefix") { Description = "Block prefix length (default 26 for IPv4, 122 for IPv6)." };

    public Option<string> Kind { get; } = new("--kind") { Description = "pod or service (default pod)." };

    public Option<string> Wiring { get; } = new("--wiring") { Description = "bridged (block prefix and gateway in results) or routed (host prefixes)." };

    public Option<string[]> Reserved { get; } = new("--reserved") { Description = "Reserved range (a-b, a CIDR or one address); repeat. On update it replaces the list." };

    public Option<bool> ClearReserved { get; } = new("--clear-reserved") { Description = "Update: remove every reserved range." };

    public Option<bool?> StrictAffinity { get; } = new("--strict-affinity") { Description = "No borrowing from other nodes' blocks (true/false)." };

    public Option<int?> MaxBlocksPerNode { get; } = new("--max-blocks-per-node") { Description = "0 = unlimited." };

    public Option<bool?> Disabled { get; } = new("--disabled") { Description = "Refuse new allocations (true/false)." };

    public Option<string[]> Routes { get; } = new("--route") { Description = "Route for the main plugin, DST or DST,GW; repeat. On update it replaces the list." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(Name);
        if (_forCreate)
        {
            command.Options.Add(Cidr);
            command.Options.Add(BlockPrefix);
            command.Options.Add(Kind);
            command.Options.Add(Wiring);
        }
        else
        {
            command.Options.Add(ClearReserved);
        }

        command.Options.Add(Reserved);
        command.Options.Add(StrictAffinity);
        command.Options.Add(MaxBlocksPerNode);
        command.Options.Add(Disabled);
        command.Options.Add(Routes);
    }

    /// <summary>Applies the given options to <paramref name="pool"/>.</summary>
    public Pool ToPool(ParseResult parse, Pool pool)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(pool);
        var result = pool.Clone();
        if (_forCreate)
        {
            result.Cidr = parse.GetValue(Cidr) ?? "";
            result.BlockPrefixLength = parse.GetValue(BlockPrefix) ?? 0;
            result.Kind = parse.GetValue(Kind)?.ToUpperInvariant() switch
            {
                null or "POD" => PoolKind.Pod,
                "SERVICE" => PoolKind.Service,
                var other => throw new UsageException($"--kind '{other.ToLowerInvariant()}' is not pod or service"),
            };
            result.Wiring = parse.GetValue(Wiring)?.ToUpperInvariant() switch
            {
                null or "BRIDGED" => PoolWiring.Bridged,
                "ROUTED" => PoolWiring.Routed,
                var other => throw new UsageException($"--wiring '{other.ToLowerInvariant()}' is not bridged or routed"),
            };
        }

        if (parse.GetValue(ClearReserved))
        {
            result.ReservedRanges.Clear();
        }

        if (parse.GetValue(Reserved) is { Length: > 0 } reserved)
        {
            result.ReservedRanges.Clear();
            result.ReservedRanges.AddRange(reserved);
        }

        if (parse.GetValue(StrictAffinity) is { } strict)
        {
            result.StrictAffinity = strict;
        }

        if (parse.GetValue(MaxBlocksPerNode) is { } max)
        {
            result.MaxBlocksPerNode = max;
        }

        if (parse.GetValue(Disabled) is { } disabled)
        {
            result.Disabled = disabled;
        }

        if (parse.GetValue(Routes) is { Length: > 0 } routes)
        {
            result.Routes.Clear();
            result.Routes.AddRange(routes.Select(RouteOf));
        }

        return result;
    }

    private static Route RouteOf(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            1 => new Route { Dst = parts[0] },
            2 => new Route { Dst = parts[0], Gw = parts[1] },
            _ => throw new UsageException($"--route '{text}' is not DST or DST,GW"),
        };
    }
}
