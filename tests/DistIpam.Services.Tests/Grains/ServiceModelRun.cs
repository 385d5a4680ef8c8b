using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// Runs one generated sequence against the grains and a simple model: which services exist and
/// which endpoints each has. After every operation the invariants are checked; a failed operation
/// must leave everything (services, slices, ClusterIP and NodePort allocations) as it was.
/// </summary>
public sealed partial class ServiceModelRun(IGrainFactory grains, int run)
{
    private static readonly IpamErrorKind[] RefusalKinds =
        [IpamErrorKind.InvalidArgument, IpamErrorKind.NotFound, IpamErrorKind.AlreadyExists, IpamErrorKind.Exhausted];

    private readonly string _namespace = $"run{run}";
    private readonly ServicePool _v4 = new() { Name = $"run{run}-v4", Cidr = "10.250.0.0/30", Family = 4 };
    private readonly ServicePool _v6 = new() { Name = $"run{run}-v6", Cidr = "fd00:99::/126", Family = 6 };
    private readonly ServiceRecord?[] _services = new ServiceRecord?[ServiceOpGenerators.Services];
    private readonly Dictionary<string, EndpointRecord>[] _endpoints =
        [.. Enumerable.Range(0, ServiceOpGenerators.Services).Select(_ => new Dictionary<string, EndpointRecord>(StringComparer.Ordinal))];

    private (long Version, Dictionary<string, string> Objects)? _listPoint;

    private IServiceFeedGrain Feed => grains.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);

    /// <summary>Runs <paramref name="ops"/>, checking after each, then checks replay and cleans up.</summary>
    public async Task RunAsync(IReadOnlyList<ServiceOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var start = (await Feed.ReadAsync(long.MaxValue, 0)).Latest;
        _listPoint = (start, []);
        for (var k = 0; k < ops.Count; k++)
        {
            var op = ops[k];
            var before = await StateAsync();
            try
            {
                await ApplyAsync(op);
            }
            catch (IpamGrainException e)
            {
                Assert.True(RefusalKinds.Contains(e.Kind), $"op {k} ({op}) failed with {e.Kind}: {e.Message}");
                Assert.True(op.Kind is ServiceOpKind.Create or ServiceOpKind.Update || _services[op.Service] is null, $"op {k} ({op}) must succeed but failed: {e.Message}");
                var after = await StateAsync();
                Assert.True(before == after, $"op {k} ({op}) failed ({e.Message}) but changed state:\nbefore {before}\nafter  {after}");
            }

            await CheckAsync($"after op {k} ({op})");
        }

        await CheckReplayAsync(start);
        for (var i = 0; i < ServiceOpGenerators.Services; i++)
        {
            await Service(i).DeleteAsync();
            _services[i] = null;
            _endpoints[i].Clear();
        }

        await CheckAsync("after deleting every service");
    }

    private IServiceGrain Service(int i) => grains.GetGrain<IServiceGrain>(ServiceKey.Of(_namespace, $"s{i}"));

    private async Task ApplyAsync(ServiceOp op)
    {
        var i = op.Service;
        var request = op.Request with { Pools = op.OnlyV4 ? [_v4] : [_v4, _v6] };
        switch (op.Kind)
        {
            case ServiceOpKind.Create:
                var created = await Service(i).CreateAsync(request);
                Assert.True(_services[i] is null, $"create of existing s{i} succeeded");
                CheckSpec(created, request, null);
                _services[i] = created;
                break;
            case ServiceOpKind.Update:
                var updated = await Service(i).UpdateAsync(request);
                Assert.True(_services[i] is not null, $"update of missing s{i} succeeded");
                CheckSpec(updated, request, _services[i]);
                _services[i] = updated;
                break;
            case ServiceOpKind.Delete:
                Assert.Equal(_services[i] is not null, await Service(i).DeleteAsync());
                _services[i] = null;
                _endpoints[i].Clear();
                break;
            case ServiceOpKind.Upsert:
                await Service(i).UpsertEndpointsAsync(op.Endpoints);
                Assert.True(_services[i] is not null, $"upsert into missing s{i} succeeded");
                foreach (var e in op.Endpoints)
                {
                    _endpoints[i][e.Target] = e;
                }

                break;
            case ServiceOpKind.Remove:
                await Service(i).RemoveEndpointsAsync(op.Targets);
                Assert.True(_services[i] is not null, $"remove from missing s{i} succeeded");
                foreach (var t in op.Targets)
                {
                    _endpoints[i].Remove(t);
                }

                break;
            case ServiceOpKind.List:
                _listPoint = await ListAsync();
                break;
        }
    }

    private async Task<(long Version, Dictionary<string, string> Objects)> ListAsync()
    {
        var version = (await Feed.ReadAsync(long.MaxValue, 0)).Latest;
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < ServiceOpGenerators.Services; i++)
        {
            if (await Service(i).GetAsync() is { } snapshot)
            {
                foreach (var (key, value) in ServiceCanon.Objects(snapshot))
                {
                    objects[key] = value;
                }
            }
        }

        return (version, objects);
    }

    private async Task CheckReplayAsync(long start)
    {
        var (_, expected) = await ListAsync();
        var events = new List<ServiceEvent>();
        for (var after = start; ;)
        {
            var page = await Feed.ReadAsync(after, 1000);
            Assert.False(page.TooOld, $"the feed no longer holds version {after}");
            events.AddRange(page.Events.Where(e => e.Namespace == _namespace));
            if (page.Events.Count == 0)
            {
                break;
            }

            after = page.Events[^1].Version;
        }

        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Version < p.Second.Version), "feed events out of version order");
        AssertSame(expected, Replay([], events), "replay from the run's first version");
        var (version, listed) = _listPoint!.Value;
        AssertSame(expected, Replay(listed, events.Where(e => e.Version > version)), $"replay from a List at version {version}");
    }

    private static Dictionary<string, string> Replay(Dictionary<string, string> initial, IEnumerable<ServiceEvent> events)
    {
        var state = new Dictionary<string, string>(initial, StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Type == ServiceEventType.Deleted)
            {
                state.Remove(ServiceCanon.KeyOf(e));
            }
            else
            {
                state[ServiceCanon.KeyOf(e)] = ServiceCanon.Of(e);
            }
        }

        return state;
    }

    private static void AssertSame(Dictionary<string, string> expected, Dictionary<string, string> actual, string what)
    {
        var missing = expected.Where(e => !actual.TryGetValue(e.Key, out var v) || v != e.Value).Select(e => e.Value).ToList();
        var extra = actual.Where(a => !expected.TryGetValue(a.Key, out var v) || v != a.Value).Select(a => a.Value).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"{what} differs from a fresh list:\nexpected but not replayed: {string.Join("\n  ", missing)}\nreplayed but not expected: {string.Join("\n  ", extra)}");
    }
}
