using DistIpam.Api.V1;

namespace DistIpam.Server.Security;

/// <summary>
/// The one policy table, keyed by full gRPC method name (docs/security.md, "Who may do what").
/// A method that is not listed is admin-only, so a new RPC is safe until someone decides otherwise.
/// </summary>
public static class AuthorizationPolicy
{
    private static readonly MethodRule ReaderRule = new(Reader: true);

    private static readonly Dictionary<string, MethodRule> Rules = new(StringComparer.Ordinal)
    {
        ["/distipam.v1.Ipam/Allocate"] = new(NodeOf: r => ((AllocateRequest)r).Node),
        ["/distipam.v1.Ipam/Release"] = new(NodeOf: r => ((ReleaseRequest)r).Node, HandleOf: r => ((ReleaseRequest)r).Handle),
        ["/distipam.v1.Ipam/Check"] = new(NodeOf: _ => "", HandleOf: r => ((CheckRequest)r).Handle),
        // A node moves only its own handles: the request names it, and the source's record does too.
        ["/distipam.v1.Ipam/MoveHandle"] = new(NodeOf: r => ((MoveHandleRequest)r).Node, HandleOf: r => ((MoveHandleRequest)r).From),
        ["/distipam.v1.Ipam/GarbageCollect"] = new(NodeOf: r => ((GarbageCollectRequest)r).Node),
        // Status naming a node renews that node's lease (docs/operations.md): a node only for itself.
        ["/distipam.v1.Ipam/Status"] = new(Reader: true, NodeOf: r => ((StatusRequest)r).Node),
        ["/distipam.v1.Pools/GetPool"] = ReaderRule,
        ["/distipam.v1.Pools/ListPools"] = ReaderRule,
        ["/distipam.v1.Pools/ListBlocks"] = ReaderRule,
        ["/distipam.v1.Pools/GetUsage"] = ReaderRule,
        ["/distipam.v1.Pools/CheckConsistency"] = ReaderRule,
        ["/distipam.v1.Services/GetService"] = ReaderRule,
        ["/distipam.v1.Services/ListServices"] = ReaderRule,
        ["/distipam.v1.Services/ListEndpointSlices"] = ReaderRule,
        ["/distipam.v1.Services/Watch"] = ReaderRule,

        // Operability (docs/operations.md): a node renews only its own lease; inventory, history and
        // GC status are readable; drain, GC runs and releases by address stay admin-only (unlisted).
        ["/distipam.v1.Nodes/Heartbeat"] = new(NodeOf: r => ((HeartbeatRequest)r).Node),
        ["/distipam.v1.Nodes/ListNodes"] = ReaderRule,
        ["/distipam.v1.Nodes/GetNode"] = ReaderRule,
        ["/distipam.v1.ServerInfo/GetVersion"] = new(AnyRole: true),
        ["/distipam.v1.Addresses/GetAddress"] = ReaderRule,
        ["/distipam.v1.Addresses/GetAddressHistory"] = ReaderRule,
        ["/distipam.v1.Addresses/GetHandle"] = ReaderRule,
        ["/distipam.v1.Addresses/GetHandleHistory"] = ReaderRule,
        ["/distipam.v1.GarbageCollection/GetGcStatus"] = ReaderRule,
        ["/distipam.v1.Capacity/GetForecast"] = ReaderRule,
        ["/grpc.health.v1.Health/Check"] = new(Anonymous: true),
        ["/grpc.health.v1.Health/Watch"] = new(Anonymous: true),
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = ReaderRule,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = ReaderRule,
    };

    /// <summary>The rule of <paramref name="method"/>; admin-only when it is not listed.</summary>
    public static MethodRule For(string method) => Rules.GetValueOrDefault(method, MethodRule.AdminOnly);

    /// <summary>
    /// Whether <paramref name="caller"/> may call <paramref name="method"/> with
    /// <paramref name="request"/>, before any handle ownership check; null when it may, else why not.
    /// </summary>
    public static string? Refusal(string method, CallerIdentity caller, object? request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rule = For(method);
        if (caller.Role == CallerRole.Admin || rule.Anonymous || rule.AnyRole)
        {
            return null;
        }

        if (caller.Role == CallerRole.Reader)
        {
            return rule.Reader ? null : "readers may only list, get and watch";
        }

        if (rule.NodeOf is null)
        {
            return "nodes may only allocate, release, check, collect garbage and ask status for themselves";
        }

        var named = request is null ? "" : rule.NodeOf(request);
        return named.Length == 0 || string.Equals(named, caller.Node, StringComparison.Ordinal)
            ? null
            : "a node may only act for itself, not for another node";
    }
}
