using DistIpam.Api.V1;

namespace DistIpam.Ctl.Tests;

/// <summary>Unique handles and names, so tests sharing a server never touch each other's state.</summary>
public static class TestIds
{
    /// <summary>A fresh identifier with a readable prefix.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A handle with a fresh container id.</summary>
    public static Handle NewHandle() => new() { Network = "podnet", ContainerId = Unique("c"), Interface = "eth0" };

    /// <summary>The server's key of a handle.</summary>
    public static string KeyOf(Handle handle) => $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";
}
