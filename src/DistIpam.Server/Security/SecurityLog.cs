using DistIpam.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DistIpam.Server.Security;

/// <summary>
/// The security log lines: how the listener is protected (once, at start) and certificate or
/// token reloads that failed. The file readers exist before the host's logging does, hence the
/// logger attached after start-up.
/// </summary>
public static partial class SecurityLog
{
    private static ILogger s_logger = NullLogger.Instance;

    /// <summary>Routes later lines to the host's logging.</summary>
    public static void Attach(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        s_logger = factory.CreateLogger("DistIpam.Server.Security");
    }

    /// <summary>A changed certificate, CA or tokens file could not be read; the previous one stays in use.</summary>
    public static void ReloadFailed(string path, Exception exception) => LogReloadFailed(s_logger, exception, path);

    /// <summary>The start-up line saying who may call the gRPC listeners.</summary>
    public static void Started(DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ListenerSecurity.IsOpen(options))
        {
            LogOpen(s_logger, options.GrpcListen, options.Tls.Enabled ? "TLS" : "plaintext h2c");
        }
        else if (options.Auth.Enabled)
        {
            LogSecured(s_logger, options.GrpcListen, options.Tls.Enabled ? "TLS" : "plaintext h2c", options.Tls.ClientCaFile is { Length: > 0 }, options.Auth.TokensFile is { Length: > 0 }, options.Auth.UnixSocketRole);
        }
    }

    [LoggerMessage(EventId = 9110, Level = LogLevel.Warning, Message = "gRPC on {Listen} ({Transport}) has authentication off: any process that reaches it may call every RPC, including releases (docs/security.md)")]
    private static partial void LogOpen(ILogger logger, string listen, string transport);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Information, Message = "gRPC on {Listen} ({Transport}) authenticates callers: client certificates {Certificates}, bearer tokens {Tokens}; Unix socket callers are {UnixSocketRole}")]
    private static partial void LogSecured(ILogger logger, string listen, string transport, bool certificates, bool tokens, string unixSocketRole);

    [LoggerMessage(EventId = 9112, Level = LogLevel.Error, Message = "Could not reload {Path}; the previous version stays in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string path);
}
