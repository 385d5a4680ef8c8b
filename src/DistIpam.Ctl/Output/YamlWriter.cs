using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DistIpam.Ctl.Output;

/// <summary>
/// Writes a JSON document as block-style YAML (YAML 1.2 is a superset of JSON, so strings stay
/// JSON-quoted and read back exactly; numbers, booleans and null stay plain).
/// </summary>
public static class YamlWriter
{
    /// <summary>The YAML of <paramref name="json"/>.</summary>
    public static string FromJson(string json)
    {
        var builder = new StringBuilder();
        var node = JsonNode.Parse(json);
        if (IsNonEmptyContainer(node))
        {
            WriteBlock(builder, node, 0);
        }
        else
        {
            builder.Append(Scalar(node)).Append('\n');
        }

        return builder.ToString();
    }

    private static void WriteBlock(StringBuilder builder, JsonNode? node, int indent)
    {
        if (node is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                builder.Append(' ', indent).Append(Key(key)).Append(':');
                WriteAfterKey(builder, value, indent);
            }
        }
        else if (node is JsonArray list)
        {
            foreach (var item in list)
            {
                builder.Append(' ', indent).Append("- ");
                WriteItem(builder, item, indent + 2);
            }
        }
    }

    private static void WriteAfterKey(StringBuilder builder, JsonNode? value, int indent)
    {
        if (value is JsonObject && IsNonEmptyContainer(value))
        {
            builder.Append('\n');
            WriteBlock(builder, value, indent + 2);
        }
        else if (value is JsonArray && IsNonEmptyContainer(value))
        {
            builder.Append('\n');
            WriteBlock(builder, value, indent);
        }
        else
        {
            builder.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static void WriteItem(StringBuilder builder, JsonNode? item, int indent)
    {
        if (item is JsonObject map && map.Count > 0)
        {
            var first = true;
            foreach (var (key, value) in map)
            {
                if (!first)
                {
                    builder.Append(' ', indent);
                }

                first = false;
                builder.Append(Key(key)).Append(':');
                WriteAfterKey(builder, value, indent);
            }
        }
        else if (item is JsonArray && IsNonEmptyContainer(item))
        {
            builder.Append('\n');
            WriteBlock(builder, item, indent);
        }
        else
        {
            builder.Append(Scalar(item)).Append('\n');
        }
    }

    private static bool IsNonEmptyContainer(JsonNode? node) =>
        node is JsonObject { Count: > 0 } or JsonArray { Count: > 0 };

    private static string Key(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && key.Length > 0 ? key : JsonSerializer.Serialize(key, YamlJsonContext.Default.String);

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
