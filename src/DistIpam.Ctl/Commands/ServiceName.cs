using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Commands;

/// <summary>A service as operators write it: <c>namespace/name</c>.</summary>
public static class ServiceName
{
    /// <summary>Parses <c>namespace/name</c>; exit code 2 naming the text otherwise.</summary>
    public static (string Namespace, string Name) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0)
            ? (parts[0], parts[1])
            : throw new UsageException($"service '{text}' is not namespace/name");
    }
}
