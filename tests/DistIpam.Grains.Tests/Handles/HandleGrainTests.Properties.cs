using DistIpam.Grains.Blocks;
using FsCheck.Xunit;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>Generated ADD/DEL runs against a small pool, checked against a map of handle to address.</summary>
public sealed partial class HandleGrainTests
{
    [Property(MaxTest = 12, Arbitrary = new[] { typeof(HandleScriptArbitraries) })]
    public async Task AllocateAndRelease_AnyRunOnSmallPool_MatchesModelAndNeverSharesAnAddress(HandleScript script)
    {
        // Eight /30 blocks of two addresses for up to eight handles on three nodes: blocks are
        // claimed, filled and borrowed from, never exhausted.
        var pool = (await _ipam.CreatePoolAsync("script", TestNames.IPv4(27), 30)).Name;
        var handles = Enumerable.Range(0, HandleScript.Handles).Select(_ => IpamDriver.NewHandle()).ToArray();
        var nodes = Enumerable.Range(0, HandleScript.Nodes).Select(_ => TestNames.Unique("node")).ToArray();
        var model = new Dictionary<int, string>();
        var history = new List<string>();

        foreach (var batch in script.Batches())
        {
            var outcomes = await Task.WhenAll(batch.Select(async step => step.Release
                ? (step, await _ipam.Handle(handles[step.Handle]).ReleaseAsync(nodes[step.Node]))
                : (step, (await _ipam.AllocateAsync(handles[step.Handle], nodes[step.Node], pool)).Leases)));
            history.Add($"[{string.Join("; ", outcomes.Select(o => $"{o.step} -> {string.Join(", ", o.Item2.Select(Describe))}"))}]");
            // Steps of one batch ran concurrently: an ADD may get an address a DEL of the same batch freed.
            foreach (var (step, leases) in outcomes.OrderBy(o => !o.step.Release))
            {
                if (Violation(model, step, leases) is { } violation)
                {
                    Assert.Fail($"{violation}; model before the batch: {{{string.Join(", ", model.Select(p => $"h{p.Key}={p.Value}"))}}}; history: {string.Join(" ", history)}");
                }
            }
        }

        var expected = model.Select(p => (p.Value, handles[p.Key])).Order();
        var stored = (await _ipam.AllocationsAsync(pool)).Select(l => (l.Address, l.HandleId)).Order();
        Assert.Equal(expected, stored);
    }

    private static string Describe(AddressLease lease) => $"{lease.Address}#{lease.Sequence}@{lease.BlockOwner}";

    private static string? Violation(Dictionary<int, string> model, HandleStep step, IReadOnlyList<AddressLease> leases)
    {
        model.TryGetValue(step.Handle, out var held);
        if (step.Release)
        {
            model.Remove(step.Handle);
            return leases.Select(l => l.Address).SequenceEqual(held is null ? [] : [held])
                ? null
                : $"{step} released [{string.Join(", ", leases.Select(Describe))}] but the handle held {held ?? "nothing"}";
        }

        if (leases.Count != 1)
        {
            return $"{step} returned {leases.Count} leases";
        }

        var address = leases[0].Address;
        if (held is not null)
        {
            return held == address ? null : $"{step} returned {address} but the handle held {held}";
        }

        if (model.FirstOrDefault(p => p.Value == address) is { Value: not null } other)
        {
            return $"{step} was given {address}, which h{other.Key} holds";
        }

        model[step.Handle] = address;
        return null;
    }
}
