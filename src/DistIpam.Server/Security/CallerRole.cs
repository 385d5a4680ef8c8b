namespace DistIpam.Server.Security;

/// <summary>What an authenticated caller may do (docs/security.md, "Who may do what").</summary>
public enum CallerRole
{
    /// <summary>Allocate, release, check, GC and status for one node only.</summary>
    Node,

    /// <summary>List, get and watch; nothing that changes state.</summary>
    Reader,

    /// <summary>Everything.</summary>
    Admin,
}
