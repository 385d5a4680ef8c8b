namespace DistIpam.Ctl.Output;

/// <summary>How results are printed.</summary>
public enum OutputFormat
{
    /// <summary>Tables for people (not stable: columns may be added).</summary>
    Table,

    /// <summary>The proto3 JSON mapping of the response (stable: field names follow the protos).</summary>
    Json,

    /// <summary>The same document as <see cref="Json"/>, as YAML.</summary>
    Yaml,
}
