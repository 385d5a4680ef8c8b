using DistIpam.Api.V1;

namespace DistIpam.Ctl.Commands;

/// <summary>The words tables use for enum values.</summary>
public static class Names
{
    public static string Family(IpFamily family) => family switch
    {
        IpFamily.V4 => "IPv4",
        IpFamily.V6 => "IPv6",
        _ => "-",
    };

    public static string Kind(PoolKind kind) => kind == PoolKind.Service ? "service" : "pod";

    public static string Wiring(PoolWiring wiring) => wiring == PoolWiring.Routed ? "routed" : "bridged";

    public static string YesNo(bool value) => value ? "yes" : "no";
}
