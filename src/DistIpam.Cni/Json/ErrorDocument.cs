namespace DistIpam.Cni.Json;

/// <summary>The CNI error object printed on stdout.</summary>
internal sealed class ErrorDocument
{
    /// <summary>The requested version (or the newest when none was given).</summary>
    public required string CniVersion { get; init; }

    /// <summary>The error code.</summary>
    public required int Code { get; init; }

    /// <summary>What went wrong.</summary>
    public required string Msg { get; init; }

    /// <summary>More detail, if any.</summary>
    public string? Details { get; init; }
}
