namespace DistIpam.Server.Security;

/// <summary>An authenticated caller: a name for logs, a role, and for a node its node name.</summary>
/// <param name="Name">Who, for logs: the certificate name, the token's name, or "unix-socket".</param>
/// <param name="Role">What it may do.</param>
/// <param name="Source">How it was authenticated: "certificate", "token" or "unix-socket".</param>
public sealed record CallerIdentity(string Name, CallerRole Role, string Source)
{
    /// <summary>The node a <see cref="CallerRole.Node"/> identity acts for; null for other roles.</summary>
    public string? Node => Role == CallerRole.Node ? Name : null;

    /// <inheritdoc />
    public override string ToString() => $"{Role.ToString().ToLowerInvariant()} '{Name}' ({Source})";
}
