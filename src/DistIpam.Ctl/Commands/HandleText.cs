using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Commands;

/// <summary>A handle as operators write it: <c>network/container-id/interface</c> (as the server names it).</summary>
public static class HandleText
{
    /// <summary>Parses the three parts; exit code 2 naming the text when it is not that.</summary>
    public static Handle Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new UsageException($"handle '{text}' is not network/container-id/interface");
        }

        return new Handle { Network = parts[0], ContainerId = parts[1], Interface = parts[2] };
    }

    /// <summary>The text form.</summary>
    public static string Format(Handle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";
    }
}
