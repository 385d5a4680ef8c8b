using DistIpam.Api.V1;

namespace DistIpam.Server.Tests;

/// <summary>Unique handles and nodes, so tests sharing a server never touch each other's allocations.</summary>
public static class TestHandles
{
    /// <summary>A handle with a fresh container id.</summary>
    public static Handle New(string network = "podnet", string interfaceName = "eth0") =>
        new() { Network = network, ContainerId = UniqueId("c"), Interface = interfaceName };

    /// <summary>A fresh identifier with a readable prefix, e.g. a node name.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>The server's key of a handle, as error messages name it.</summary>
    public static string KeyOf(Handle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";
    }

    /// <summary>An Allocate request for <paramref name="handle"/> on <paramref name="node"/> from the default pools.</summary>
    public static AllocateRequest Allocate(Handle handle, string node, params string[] pools)
    {
        var request = new AllocateRequest { Handle = handle, Node = node };
        request.Pools.AddRange(pools);
        return request;
    }

    /// <summary>A Check request expecting exactly <paramref name="addresses"/>.</summary>
    public static CheckRequest Check(Handle handle, IEnumerable<string> addresses)
    {
        var request = new CheckRequest { Handle = handle };
        request.ExpectedAddresses.AddRange(addresses);
        return request;
    }
}
