using System.Globalization;
using DistIpam.Api.V1;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>
/// The names one schedule uses: node names, handles, the service namespace and requested
/// addresses, all unique to it (<see cref="Prefix"/>), so schedules on one cluster never meet.
/// </summary>
internal sealed class ScheduleNames(string prefix, int number)
{
    /// <summary>The CNI network every handle uses.</summary>
    public const string Network = "chaosnet";

    /// <summary>A first address of each pod pool's reserved range (the chaos cluster reserves 10.244.0.0-15 and fd00:10:244::-f).</summary>
    public static readonly (string V4, string V6) ReservedAddress = ("10.244.0.5", "fd00:10:244::5");

    private int _fresh;

    /// <summary>Starts every node name and container id of the schedule.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The service namespace (a DNS-1123 label).</summary>
    public string Namespace => Prefix.TrimEnd('-');

    /// <summary>The name of simulated node <paramref name="node"/>.</summary>
    public string Node(int node) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}n{node}");

    /// <summary>The name of the <paramref name="index"/>-th node of a claim burst.</summary>
    public string BurstNode(int index) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}b{index}");

    /// <summary>The handle of slot <paramref name="slot"/> of <paramref name="node"/>.</summary>
    public static Handle Handle(string node, int slot) => new()
    {
        Network = Network,
        ContainerId = string.Create(CultureInfo.InvariantCulture, $"{node}h{slot}"),
        Interface = "eth0",
    };

    /// <summary>The service of slot <paramref name="slot"/> of node <paramref name="node"/>.</summary>
    public static string Service(int node, int slot) => string.Create(CultureInfo.InvariantCulture, $"svc-n{node}-{slot}");

    /// <summary>
    /// Addresses nobody else asks for: the schedule's own /24 of 10.244.128.0/17 (and a v6
    /// counterpart), one new pair per call. Schedules 127 apart share a /24; by then the older one
    /// has released everything.
    /// </summary>
    public (string V4, string V6) FreshAddresses()
    {
        var n = Interlocked.Increment(ref _fresh);
        var area = 128 + (number % 127);
        var host = 20 + (n % 200);
        return (string.Create(CultureInfo.InvariantCulture, $"10.244.{area}.{host}"),
                string.Create(CultureInfo.InvariantCulture, $"fd00:10:244:0:1:{area:x}:0:{host:x}"));
    }
}
