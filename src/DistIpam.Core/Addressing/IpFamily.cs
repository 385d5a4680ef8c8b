namespace DistIpam.Core.Addressing;

/// <summary>An IP address family. Values are stable: they are stored and sent on the wire.</summary>
public enum IpFamily
{
    /// <summary>IPv4, 32-bit addresses.</summary>
    V4 = 4,

    /// <summary>IPv6, 128-bit addresses.</summary>
    V6 = 6,
}
