using System.Text.Json;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// Reads stdin in the order the reference skeleton does: JSON syntax first (code 6), then the
/// version (so a version error wins over a shape error), then the typed binding (code 7 naming the field).
/// </summary>
internal static class ConfigurationReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Parses stdin as JSON; anything else fails with code 6.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> stdin)
    {
        if (stdin.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "stdin is empty; expected the network configuration as JSON");
        }

        try
        {
            return JsonDocument.Parse(stdin, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "stdin is not valid JSON", e.Message, e);
        }
    }

    /// <summary>The <c>cniVersion</c> of the configuration, or null when absent or empty.</summary>
    public static string? ReadVersion(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CniException.InvalidConfiguration($"the network configuration must be a JSON object, not {root.ValueKind}");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("cniVersion") || string.Equals(property.Name, "cniVersion", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => NullIfEmpty(property.Value.GetString()),
                    JsonValueKind.Null => null,
                    _ => throw CniException.InvalidConfiguration($"cniVersion must be a string, not {property.Value.ValueKind}"),
                };
            }
        }

        return null;
    }

    /// <summary>Binds the configuration to its typed form; a wrong type fails with code 7 naming the field.</summary>
    public static NetworkConfigDocument Bind(JsonElement root) =>
        DocumentBinder.Bind(root) ?? throw CniException.InvalidConfiguration("the network configuration is null");

    /// <summary>"$.ipam.endpoints[0]" -> "ipam.endpoints[0]".</summary>
    public static string FieldOf(string? path) => path switch
    {
        null or "" or "$" => "the network configuration",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith("$['", StringComparison.Ordinal) => path[1..],
        _ => path,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
