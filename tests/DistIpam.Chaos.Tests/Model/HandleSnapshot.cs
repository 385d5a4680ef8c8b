namespace DistIpam.Chaos.Tests.Model;

/// <summary>The model's view of one handle at one moment (immutable; the checker reads these).</summary>
/// <param name="Key">The handle key, network/containerId/ifname (as block allocations record it).</param>
/// <param name="Node">The node its allocations were made for.</param>
/// <param name="Status">What acknowledged operations say.</param>
/// <param name="Addresses">For <see cref="HandleStatus.Held"/>: the acknowledged addresses (no prefix length).</param>
/// <param name="DualStackOnly">Every Allocate since it was last known empty asked for both families: it must never hold one family only.</param>
/// <param name="History">What happened to it, in order (evidence for a violation).</param>
internal sealed record HandleSnapshot(
    string Key,
    string Node,
    HandleStatus Status,
    IReadOnlyList<string> Addresses,
    bool DualStackOnly,
    IReadOnlyList<string> History)
{
    /// <summary>A handle that was allocated and acknowledged.</summary>
    public static HandleSnapshot HeldBy(string key, string node, params string[] addresses) =>
        new(key, node, HandleStatus.Held, addresses, addresses.Length == 2, [$"Allocate -> {string.Join(", ", addresses)}"]);

    /// <summary>A handle whose release was acknowledged.</summary>
    public static HandleSnapshot ReleasedBy(string key, string node) =>
        new(key, node, HandleStatus.Released, [], false, ["Release -> OK"]);
}
