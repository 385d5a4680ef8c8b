namespace DistIpam.Server.Security;

/// <summary>
/// Authentication and authorization of gRPC calls (section <c>DistIpam:Auth</c>). Off by default:
/// the embedded server on loopback answers everyone (docs/security.md).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Turns authentication and the role policy on. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Bearer tokens, one per line: <c>token role name</c> (role <c>node</c>, <c>admin</c> or
    /// <c>reader</c>; for a node the name is its node name). '#' starts a comment. Re-read when it
    /// changes. Clients send <c>authorization: Bearer &lt;token&gt;</c>.
    /// </summary>
    public string? TokensFile { get; set; }

    /// <summary>Client-certificate names (CN or DNS SAN) that are admins.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>Client-certificate names (CN or DNS SAN) that are readers.</summary>
    public List<string> Readers { get; set; } = [];

    /// <summary>
    /// A client-certificate name starting with this is the node named by the rest, e.g.
    /// <c>system:node:worker-1</c> (the kubelet's convention). Default <c>system:node:</c>.
    /// </summary>
    public string NodeNamePrefix { get; set; } = "system:node:";

    /// <summary>
    /// The role of callers on the Unix socket, whose file permissions are its authentication
    /// (<c>admin</c>, <c>reader</c> or <c>none</c>). Default <c>admin</c>.
    /// </summary>
    public string UnixSocketRole { get; set; } = "admin";

    /// <summary>
    /// How many watches (server streams) one authenticated identity may hold open; more fail with
    /// RESOURCE_EXHAUSTED. Not applied with authentication off. Default 64.
    /// </summary>
    public int MaxWatchesPerIdentity { get; set; } = 64;
}
