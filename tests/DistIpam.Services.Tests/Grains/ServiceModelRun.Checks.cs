using System.Globalization;
using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>The invariants checked after every operation.</summary>
public sealed partial class ServiceModelRun
{
    /// <summary>Everything a failed operation must leave unchanged, as text.</summary>
    private async Task<string> StateAsync()
    {
        var parts = new List<string>();
        for (var i = 0; i < ServiceOpGenerators.Services; i++)
        {
            parts.AddRange((await Service(i).GetAsync() is { } s ? ServiceCanon.Objects(s) : []).Select(o => o.Value));
        }

        parts.AddRange((await grains.GetGrain<IClusterIpRangeGrain>(_v4.Name).ListAsync()).Select(h => $"{h.Value}@{h.Holder}").Order(StringComparer.Ordinal));
        parts.AddRange((await grains.GetGrain<IClusterIpRangeGrain>(_v6.Name).ListAsync()).Select(h => $"{h.Value}@{h.Holder}").Order(StringComparer.Ordinal));
        parts.AddRange((await NodePortsOfRunAsync()).Order(StringComparer.Ordinal));
        return string.Join(" | ", parts);
    }

    private async Task<IEnumerable<string>> NodePortsOfRunAsync() =>
        (await grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ListAsync())
            .Where(h => h.Holder.StartsWith(_namespace + "/", StringComparison.Ordinal))
            .Select(h => $"{h.Value}@{h.Holder}");

    private async Task CheckAsync(string when)
    {
        var expectedIps = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal) { [_v4.Name] = [], [_v6.Name] = [] };
        var expectedPorts = new HashSet<string>(StringComparer.Ordinal);
        var allIps = new HashSet<string>(StringComparer.Ordinal);
        var allPorts = new HashSet<int>();
        for (var i = 0; i < ServiceOpGenerators.Services; i++)
        {
            var snapshot = await Service(i).GetAsync();
            Assert.True((snapshot is null) == (_services[i] is null), $"{when}: s{i} exists={snapshot is not null}, model says {_services[i] is not null}");
            if (snapshot is null)
            {
                continue;
            }

            Assert.Equal(ServiceCanon.Of(_services[i]!), ServiceCanon.Of(snapshot.Service));
            var record = snapshot.Service;
            for (var j = 0; j < record.ClusterIps.Count; j++)
            {
                var pool = record.Pools[j] == _v4.Name ? _v4 : _v6;
                CheckInRange(record.ClusterIps[j], pool, when);
                Assert.True(allIps.Add(record.ClusterIps[j]), $"{when}: cluster IP {record.ClusterIps[j]} is held by two services");
                expectedIps[pool.Name].Add($"{record.ClusterIps[j]}@{record.Key}");
            }

            foreach (var port in record.Ports.Select(p => p.NodePort).Where(p => p != 0).Distinct())
            {
                Assert.InRange(port, ServiceClusterFixture.NodePortFirst, ServiceClusterFixture.NodePortLast);
                Assert.True(allPorts.Add(port), $"{when}: node port {port} is held by two services");
                expectedPorts.Add($"{port.ToString(CultureInfo.InvariantCulture)}@{record.Key}");
            }

            CheckSlices(i, snapshot, when);
        }

        foreach (var pool in new[] { _v4, _v6 })
        {
            var held = (await grains.GetGrain<IClusterIpRangeGrain>(pool.Name).ListAsync()).Select(h => $"{h.Value}@{h.Holder}").ToHashSet(StringComparer.Ordinal);
            Assert.True(held.SetEquals(expectedIps[pool.Name]), $"{when}: pool {pool.Name} holds [{string.Join(", ", held)}] but services hold [{string.Join(", ", expectedIps[pool.Name])}]");
        }

        var ports = (await NodePortsOfRunAsync()).ToHashSet(StringComparer.Ordinal);
        Assert.True(ports.SetEquals(expectedPorts), $"{when}: node port range holds [{string.Join(", ", ports)}] but services hold [{string.Join(", ", expectedPorts)}]");
    }

    private void CheckSlices(int i, ServiceSnapshot snapshot, string when)
    {
        Assert.Equal(snapshot.Slices.Count, snapshot.Slices.Select(s => s.Name).Distinct().Count());
        foreach (var family in new[] { 4, 6 })
        {
            var slices = snapshot.Slices.Where(s => s.Family == family).ToList();
            foreach (var slice in slices)
            {
                Assert.True(slice.Endpoints.Count is > 0 and <= ServiceClusterFixture.MaxEndpointsPerSlice, $"{when}: slice {slice.Name} has {slice.Endpoints.Count} endpoints");
            }

            var actual = slices.SelectMany(s => s.Endpoints).Select(ServiceCanon.Of).Order(StringComparer.Ordinal).ToList();
            var expected = _endpoints[i].Values
                .Where(e => e.Addresses.Any(a => (a.Contains(':', StringComparison.Ordinal) ? 6 : 4) == family))
                .Select(e => ServiceCanon.Of(e with { Addresses = [.. e.Addresses.Where(a => (a.Contains(':', StringComparison.Ordinal) ? 6 : 4) == family)] }))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.True(expected.SequenceEqual(actual), $"{when}: IPv{family} slices of s{i} hold\n  [{string.Join(" ", actual)}]\nbut the model has\n  [{string.Join(" ", expected)}]");
        }
    }

    private static void CheckInRange(string ip, ServicePool pool, string when)
    {
        var range = IpPrefix.Parse(pool.Cidr);
        var address = IPAddress.Parse(ip);
        Assert.True(range.Contains(address), $"{when}: {ip} is outside {pool.Cidr}");
        var offset = range.OffsetOf(address);
        Assert.True(offset != 0 && (pool.Family == 6 || offset != range.Size - 1), $"{when}: {ip} is the network or broadcast address of {pool.Cidr}");
    }

    private static void CheckSpec(ServiceRecord record, ServiceRequest request, ServiceRecord? old)
    {
        var what = ServiceCanon.Of(record);
        var type = request.Type == ServiceType.Unspecified ? ServiceType.ClusterIp : request.Type;
        Assert.Equal(type, record.Type);
        Assert.Equal(type == ServiceType.Headless ? 0 : record.Families.Count, record.ClusterIps.Count);
        Assert.True(record.Policy switch
        {
            IpFamilyPolicy.SingleStack => record.Families.Count == 1,
            IpFamilyPolicy.RequireDualStack => record.Families.Count == 2,
            _ => record.Families.Count is 1 or 2,
        }, $"{what}: families do not fit the policy");
        for (var j = 0; j < request.ClusterIps.Count; j++)
        {
            Assert.Equal(request.ClusterIps[j], record.ClusterIps[j]);
        }

        if (old is not null)
        {
            Assert.Equal(old.Families[0], record.Families[0]);
            if (old.ClusterIps.Count > 0)
            {
                Assert.Equal(old.ClusterIps[0], record.ClusterIps[0]);
            }
        }

        var nodePorts = record.Ports.Where(p => p.NodePort != 0).Select(p => (p.NodePort, p.Protocol)).ToList();
        Assert.True(nodePorts.Count == nodePorts.Distinct().Count(), $"{what}: a node port is used twice with one protocol");
        Assert.True(type == ServiceType.NodePort ? record.Ports.All(p => p.NodePort != 0) : nodePorts.Count == 0, $"{what}: node ports do not fit the type");
        foreach (var group in record.Ports.Where(p => request.Ports.First(r => r.Port == p.Port && r.Protocol == p.Protocol).NodePort == 0).GroupBy(p => p.Port))
        {
            // Unrequested entries of one port number share one node port (TCP and UDP of DNS).
            Assert.True(type != ServiceType.NodePort || group.Select(p => p.NodePort).Distinct().Count() == 1 || old is not null, $"{what}: port {group.Key} got different node ports");
        }
    }
}
