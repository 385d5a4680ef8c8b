using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// Reads stdin in the order the reference skeleton does: JSON syntax first (code 6), then the
/// version (so a version error wins over a shape error), then the typed binding (code 7 naming the field).
/// </summary>
internal static class ConfigurationReader
{
    /// <summary>
    /// The most bytes of stdin read. A network configuration with a prevResult is a few KiB; a
    /// runtime that sends more is broken or hostile, and parsing it must not cost the node memory.
    /// </summary>
    public const int MaxStdinBytes = 1 << 20;

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Parses stdin as JSON; anything else fails with code 6.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> stdin)
    {
        if (stdin.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "stdin is empty; expected the network configuration as JSON");
        }

        if (stdin.Length > MaxStdinBytes)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"stdin is longer than {MaxStdinBytes} bytes; a network configuration is a few KiB");
        }

        // System.Text.Json checks UTF-8 only when a string is read (an InvalidOperationException
        // deep in binding, reported as an internal error): refuse undecodable input here, as code 6.
        if (!Utf8.IsValid(stdin.Span))
        {
            var valid = InvalidUtf8Offset(stdin.Span);
            throw new CniException(CniErrorCode.DecodingFailure, $"stdin is not valid UTF-8 (at byte {valid.ToString(CultureInfo.InvariantCulture)})");
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

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
            if (status == OperationStatus.InvalidData)
            {
                return offset + read;
            }

            offset += read;
            if (status == OperationStatus.Done)
            {
                break;
            }
        }

        return offset;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
