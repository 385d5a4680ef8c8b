using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>What a generated operation does.</summary>
public enum ServiceOpKind
{
    /// <summary>Create a service.</summary>
    Create,

    /// <summary>Update a service.</summary>
    Update,

    /// <summary>Delete a service.</summary>
    Delete,

    /// <summary>Upsert endpoints.</summary>
    Upsert,

    /// <summary>Remove endpoints.</summary>
    Remove,

    /// <summary>Take a List (the later replay starts from it).</summary>
    List,
}

/// <summary>One generated operation on service number <see cref="Service"/> of a run.</summary>
public sealed record ServiceOp(
    ServiceOpKind Kind,
    int Service,
    ServiceRequest Request,
    bool OnlyV4,
    IReadOnlyList<EndpointRecord> Endpoints,
    IReadOnlyList<string> Targets)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ServiceOpKind.Create or ServiceOpKind.Update =>
            $"{Kind} s{Service} {Request.Type} {Request.Policy} fam[{string.Join(",", Request.Families)}] ips[{string.Join(",", Request.ClusterIps)}] ports[{string.Join(",", Request.Ports.Select(p => $"{p.Port}/{p.Protocol}:{p.NodePort}"))}]{(OnlyV4 ? " v4-only" : "")}",
        ServiceOpKind.Upsert => $"Upsert s{Service} [{string.Join(" ", Endpoints.Select(e => $"{e.Target}={string.Join("+", e.Addresses)}"))}]",
        ServiceOpKind.Remove => $"Remove s{Service} [{string.Join(",", Targets)}]",
        _ => $"{Kind} s{Service}",
    };
}
