namespace DistIpam.Ctl.Output;

/// <summary>Parses <c>-o</c>.</summary>
public static class OutputFormats
{
    /// <summary>True for table, json or yaml (any case).</summary>
    public static bool TryParse(string text, out OutputFormat format)
    {
        switch (text.ToUpperInvariant())
        {
            case "TABLE" or "WIDE":
                format = OutputFormat.Table;
                return true;
            case "JSON":
                format = OutputFormat.Json;
                return true;
            case "YAML":
                format = OutputFormat.Yaml;
                return true;
            default:
                format = OutputFormat.Table;
                return false;
        }
    }
}
