using DistIpam.Core.Addressing;
using System.Buffers;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Invocation;

/// <summary>
/// The CNI_* variables of one invocation (an empty variable counts as absent) plus
/// <c>DISTIPAM_NODE_NAME</c>. The Require* methods fail with code 4 naming the variable.
/// </summary>
internal sealed record CniEnvironment
{
    /// <summary>The node-name override variable.</summary>
    public const string NodeNameVariable = "DISTIPAM_NODE_NAME";

    private const int MaxContainerIdLength = 253;
    private const int MaxInterfaceNameLength = 15;
    private const int MaxPathLength = 4096;

    // CNI spec: a container id starts with an alphanumeric and continues with alphanumerics, '_', '.', '-'.
    private static readonly SearchValues<char> ContainerIdChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>CNI_COMMAND.</summary>
    public string? Command { get; init; }

    /// <summary>CNI_CONTAINERID.</summary>
    public string? ContainerId { get; init; }

    /// <summary>CNI_NETNS.</summary>
    public string? Netns { get; init; }

    /// <summary>CNI_IFNAME.</summary>
    public string? IfName { get; init; }

    /// <summary>CNI_ARGS.</summary>
    public string? Args { get; init; }

    /// <summary>CNI_PATH.</summary>
    public string? Path { get; init; }

    /// <summary>DISTIPAM_NODE_NAME.</summary>
    public string? NodeName { get; init; }

    /// <summary>Reads the variables through <paramref name="variable"/> (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public static CniEnvironment Read(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return new CniEnvironment
        {
            Command = NullIfEmpty(variable("CNI_COMMAND")),
            ContainerId = NullIfEmpty(variable("CNI_CONTAINERID")),
            Netns = NullIfEmpty(variable("CNI_NETNS")),
            IfName = NullIfEmpty(variable("CNI_IFNAME")),
            Args = NullIfEmpty(variable("CNI_ARGS")),
            Path = NullIfEmpty(variable("CNI_PATH")),
            NodeName = NullIfEmpty(variable(NodeNameVariable)),
        };
    }

    /// <summary>CNI_CONTAINERID, validated against the CNI character set.</summary>
    public string RequireContainerId()
    {
        var id = ContainerId ?? throw CniException.InvalidEnvironment("CNI_CONTAINERID is required");
        if (id.Length > MaxContainerIdLength)
        {
            throw CniException.InvalidEnvironment($"CNI_CONTAINERID is {id.Length} characters long; at most {MaxContainerIdLength} are allowed");
        }

        var bad = id.AsSpan().IndexOfAnyExcept(ContainerIdChars);
        if (bad >= 0 || id[0] is '_' or '.' or '-')
        {
            throw CniException.InvalidEnvironment(
                $"CNI_CONTAINERID {InputEcho.Quote(id)} is invalid: it must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
        }

        return id;
    }

    /// <summary>CNI_IFNAME, validated as a Linux interface name.</summary>
    public string RequireIfName()
    {
        var name = IfName ?? throw CniException.InvalidEnvironment("CNI_IFNAME is required");
        if (name.Length > MaxInterfaceNameLength)
        {
            throw CniException.InvalidEnvironment($"CNI_IFNAME {InputEcho.Quote(name)} is longer than {MaxInterfaceNameLength} characters");
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' or '|' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw CniException.InvalidEnvironment($"CNI_IFNAME {InputEcho.Quote(name)} is not a valid interface name (it contains {InputEcho.Quote(c.ToString())})");
            }
        }

        return name is "." or ".."
            ? throw CniException.InvalidEnvironment($"CNI_IFNAME {InputEcho.Quote(name)} is not a valid interface name")
            : name;
    }

    /// <summary>CNI_NETNS (not opened: an IPAM plugin only needs to know that one was given).</summary>
    public string RequireNetns()
    {
        var netns = Netns ?? throw CniException.InvalidEnvironment("CNI_NETNS is required");
        return netns.Length <= MaxPathLength
            ? netns
            : throw CniException.InvalidEnvironment($"CNI_NETNS is {netns.Length} characters long; a path has at most {MaxPathLength}");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
