using DistIpam.Core.Addressing;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Json;

/// <summary>
/// Typed reads of one <see cref="JsonElement"/> with the rules System.Text.Json's serializer used to
/// apply here: JSON null is null, any other token of the wrong kind fails with code 7 naming the field
/// by its JSON path. Reading a parsed document this way needs no serializer metadata, whose creation
/// at start-up cost a CNI call more CPU than the rest of the configuration handling together.
/// </summary>
internal static class JsonFields
{
    // The characters after which System.Text.Json writes a property as ['name'] in a JSON path.
    private static readonly SearchValues<char> PathSpecialCharacters = SearchValues.Create(['.', ' ', '\'', '/', '"', '[', ']', '(', ')', '\t', '\n', '\r', '\f', '\b', '\\', '\u0085', '\u2028', '\u2029']);

    /// <summary>Whether the property <paramref name="name"/> is <paramref name="field"/>, matched case-insensitively as Go's encoding/json does.</summary>
    public static bool Is(string name, string field) => string.Equals(name, field, StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of a property of the object at <paramref name="path"/> ("$.ipam" or "$['cni.dev/x']").</summary>
    public static string Child(string path, string name)
    {
        // Only unknown names can be long or odd, and a path goes into error messages: echo a prefix.
        if (name.Length > InputEcho.MaxEchoLength || name.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
        {
            return $"{path}[{InputEcho.Quote(name)}]";
        }

        return name.AsSpan().IndexOfAny(PathSpecialCharacters) >= 0 ? $"{path}['{name}']" : $"{path}.{name}";
    }

    /// <summary>Whether <paramref name="element"/> is an object (false for null); anything else fails.</summary>
    public static bool IsObject(JsonElement element, string path, Type type) => element.ValueKind switch
    {
        JsonValueKind.Object => true,
        JsonValueKind.Null => false,
        _ => throw WrongType(path, type),
    };

    // The scalar readers take the type to name in a failure's details: System.Text.Json named the
    // object that holds a scalar field, and the item type for an item of a list.

    /// <summary>A string, or null.</summary>
    public static string? String(JsonElement element, string path, Type owner) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => throw WrongType(path, owner),
    };

    /// <summary>A 32-bit integer, or null.</summary>
    public static int? Int32(JsonElement element, string path, Type owner) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt32(out var value) => value,
        JsonValueKind.Null => null,
        _ => throw WrongType(path, owner),
    };

    /// <summary>A number, or null.</summary>
    public static double? Double(JsonElement element, string path, Type owner) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetDouble(out var value) => value,
        JsonValueKind.Null => null,
        _ => throw WrongType(path, owner),
    };

    /// <summary>A boolean, or null.</summary>
    public static bool? Boolean(JsonElement element, string path, Type owner) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw WrongType(path, owner),
    };

    /// <summary>A list of strings (null items stay null), or null.</summary>
    public static List<string>? Strings(JsonElement element, string path) =>
        List(element, path, static (item, itemPath) => String(item, itemPath, typeof(string)));

    /// <summary>A list whose items <paramref name="item"/> reads, or null.</summary>
    public static List<T>? List<T>(JsonElement element, string path, Func<JsonElement, string, T?> item)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var list = new List<T>(element.GetArrayLength());
                var index = 0;
                foreach (var value in element.EnumerateArray())
                {
                    list.Add(item(value, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]")!);
                    index++;
                }

                return list;
            default:
                throw WrongType(path, typeof(List<T>));
        }
    }

    /// <summary>The code 7 failure for a token of the wrong kind at <paramref name="path"/>.</summary>
    public static CniException WrongType(string path, Type type) => new(
        CniErrorCode.InvalidConfiguration,
        $"{ConfigurationReader.FieldOf(path)} has the wrong type",
        $"The JSON value could not be converted to {type}. Path: {path}.");
}
