using System.Text.Json;

namespace DistIpam.Cni.Json;

/// <summary>
/// Writes the documents distipam prints, field by field, in the shape the spec gives them: camelCase
/// names in declaration order, absent (null) fields left out, two-space indentation. A writer needs
/// no serializer metadata, which a short-lived process would otherwise build at every start.
/// </summary>
internal static class CniJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    /// <summary>Writes <paramref name="write"/>'s document and a final newline to <paramref name="stream"/>.</summary>
    public static void WriteLine<T>(Stream stream, T document, Action<Utf8JsonWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(write);
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer, document);
        }

        stream.Write("\n"u8);
        stream.Flush();
    }

    /// <summary>The VERSION answer.</summary>
    public static void Write(Utf8JsonWriter writer, VersionDocument document)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(document);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", document.CniVersion);
        WriteStrings(writer, "supportedVersions", document.SupportedVersions);
        writer.WriteEndObject();
    }

    /// <summary>An error object.</summary>
    public static void Write(Utf8JsonWriter writer, ErrorDocument document)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(document);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", document.CniVersion);
        writer.WriteNumber("code", document.Code);
        writer.WriteString("msg", document.Msg);
        WriteIfNotNull(writer, "details", document.Details);
        writer.WriteEndObject();
    }

    /// <summary>An IPAM result.</summary>
    public static void Write(Utf8JsonWriter writer, CniResultDocument document)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(document);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", document.CniVersion);
        writer.WriteStartArray("ips");
        foreach (var ip in document.Ips)
        {
            Write(writer, ip);
        }

        writer.WriteEndArray();
        if (document.Routes is { } routes)
        {
            writer.WriteStartArray("routes");
            foreach (var route in routes)
            {
                Write(writer, route);
            }

            writer.WriteEndArray();
        }

        if (document.Dns is { } dns)
        {
            writer.WritePropertyName("dns");
            writer.WriteStartObject();
            WriteStrings(writer, "nameservers", dns.Nameservers);
            WriteIfNotNull(writer, "domain", dns.Domain);
            WriteStrings(writer, "search", dns.Search);
            WriteStrings(writer, "options", dns.Options);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, IpConfigEntry? ip)
    {
        if (ip is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteIfNotNull(writer, "version", ip.Version);
        WriteIfNotNull(writer, "interface", ip.Interface);
        WriteIfNotNull(writer, "address", ip.Address);
        WriteIfNotNull(writer, "gateway", ip.Gateway);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, RouteEntry? route)
    {
        if (route is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteIfNotNull(writer, "dst", route.Dst);
        WriteIfNotNull(writer, "gw", route.Gw);
        WriteIfNotNull(writer, "mtu", route.Mtu);
        WriteIfNotNull(writer, "advmss", route.Advmss);
        WriteIfNotNull(writer, "priority", route.Priority);
        WriteIfNotNull(writer, "table", route.Table);
        WriteIfNotNull(writer, "scope", route.Scope);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string?>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
