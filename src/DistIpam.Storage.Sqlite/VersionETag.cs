using System.Globalization;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// The ETag of a row is its integer version in invariant decimal text: cheap to compare in SQL
/// (<c>WHERE version = @expected</c>) and readable in logs and conflict messages.
/// </summary>
internal static class VersionETag
{
    /// <summary>Version of a row the first time it is written.</summary>
    public const long First = 1;

    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static string? Format(long? version) => version is { } v ? Format(v) : null;

    /// <summary>
    /// Parses an ETag this storage handed out. Anything else (another provider's ETag, garbage) fails
    /// to parse and is then treated as a conflict, never as "no row".
    /// </summary>
    public static bool TryParse(string eTag, out long version)
        => long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version >= First;
}
