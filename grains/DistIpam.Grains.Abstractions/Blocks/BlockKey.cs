namespace DistIpam.Grains.Blocks;

/// <summary>
/// The key of a block grain: "pool|cidr". '|' never occurs in a pool name (DNS-1123) or a CIDR,
/// so the key splits back unambiguously.
/// </summary>
public static class BlockKey
{
    /// <summary>The grain key of <paramref name="block"/> in <paramref name="pool"/>.</summary>
    public static string Of(string pool, string block) => $"{pool}|{block}";

    /// <summary>Splits a grain key into pool and block CIDR.</summary>
    public static (string Pool, string Block) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a block key (pool|cidr)", nameof(key));
        }

        return (key[..bar], key[(bar + 1)..]);
    }
}
