namespace DistIpam.Chaos.Tests.Checking;

/// <summary>What belongs to one schedule: its handle keys and node names start with <paramref name="Prefix"/>.</summary>
/// <param name="Prefix">The schedule's unique prefix (container ids and node names start with it).</param>
/// <param name="Network">The CNI network its handles use.</param>
internal sealed record CheckScope(string Prefix, string Network)
{
    /// <summary>Whether a handle key is the schedule's.</summary>
    public bool OwnsHandle(string key) => key.StartsWith($"{Network}/{Prefix}", StringComparison.Ordinal);

    /// <summary>Whether a node name is the schedule's.</summary>
    public bool OwnsNode(string? node) => node is not null && node.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether a report line names something of the schedule.</summary>
    public bool Mentions(string text) => text.Contains(Prefix, StringComparison.Ordinal);
}
