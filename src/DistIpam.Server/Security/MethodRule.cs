using DistIpam.Api.V1;

namespace DistIpam.Server.Security;

/// <summary>Who may call one gRPC method.</summary>
/// <param name="Anonymous">Callable without authentication (health checks).</param>
/// <param name="Reader">Readers may call it (admins always may).</param>
/// <param name="NodeOf">For methods a node may call for itself: the node the request names ("" when none).</param>
/// <param name="HandleOf">For node calls about a handle: the handle whose recorded node must be the caller's.</param>
/// <param name="AnyRole">Every authenticated identity may call it.</param>
public sealed record MethodRule(
    bool Anonymous = false,
    bool Reader = false,
    Func<object, string>? NodeOf = null,
    Func<object, Handle?>? HandleOf = null,
    bool AnyRole = false)
{
    /// <summary>Admins only: the rule of every method the table does not list.</summary>
    public static readonly MethodRule AdminOnly = new();
}
