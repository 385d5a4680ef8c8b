using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DistIpam.Server.Hosting;

/// <summary>The server's listeners: gRPC over h2c on TCP and on a Unix socket, and plain HTTP.</summary>
public static class KestrelEndpoints
{
    /// <summary>Configures Kestrel from the options.</summary>
    public static void Configure(KestrelServerOptions kestrel, DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.GrpcListen))
        {
            kestrel.Listen(ListenAddress.Parse(nameof(options.GrpcListen), options.GrpcListen), o => o.Protocols = HttpProtocols.Http2);
        }

        if (options.ResolvedUnixSocket is { } socket)
        {
            // The data directory lock is held, so a socket file left here is from a dead server.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socket))!);
            File.Delete(socket);
            kestrel.ListenUnixSocket(socket, o => o.Protocols = HttpProtocols.Http2);
        }

        if (!string.IsNullOrEmpty(options.HttpListen))
        {
            kestrel.Listen(ListenAddress.Parse(nameof(options.HttpListen), options.HttpListen), o => o.Protocols = HttpProtocols.Http1AndHttp2);
        }
    }

    /// <summary>Applies the configured mode to the Unix socket once Kestrel has created it.</summary>
    public static void ApplySocketMode(DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows() && options.ResolvedUnixSocket is { } socket && File.Exists(socket))
        {
            var mode = (UnixFileMode)Convert.ToInt32(options.UnixSocketMode, 8);
            File.SetUnixFileMode(socket, mode);
        }
    }
}
