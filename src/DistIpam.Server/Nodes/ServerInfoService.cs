using System.Reflection;
using DistIpam.Api.V1;
using DistIpam.Server.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Nodes;

/// <summary>The server's version and mode (for <c>distipamctl version</c>).</summary>
public sealed class ServerInfoService(IOptions<DistIpamOptions> options, IClusterMembershipService membership) : ServerInfo.ServerInfoBase
{
    /// <summary>This build's version.</summary>
    public static string Version { get; } =
        typeof(ServerInfoService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <inheritdoc />
    public override Task<ServerVersion> GetVersion(GetVersionRequest request, ServerCallContext context) => Task.FromResult(new ServerVersion
    {
        Version = Version,
        Mode = options.Value.IsClusterMode ? "cluster" : "embedded",
        Silos = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active),
    });
}
