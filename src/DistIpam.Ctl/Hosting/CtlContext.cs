using System.CommandLine;
using DistIpam.Client;
using DistIpam.Ctl.Output;

namespace DistIpam.Ctl.Hosting;

/// <summary>One command's invocation: parsed values, the output printer and the (lazily created) client.</summary>
public sealed class CtlContext : IDisposable
{
    private readonly GlobalOptions _options;
    private DistIpamClient? _client;

    /// <summary>Creates the context of <paramref name="parse"/>.</summary>
    public CtlContext(ParseResult parse, GlobalOptions options, CtlIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _options = options;
        Parse = parse;
        Io = io;
        CancellationToken = cancellationToken;
        var output = parse.GetValue(options.Output) ?? "table";
        if (OutputFormats.TryParse(output, out var format))
        {
            Format = format;
        }
        else
        {
            Format = OutputFormat.Table;
            OutputFile = output;
        }

        Printer = new Printer(io, Format);
    }

    /// <summary>The parse result.</summary>
    public ParseResult Parse { get; }

    /// <summary>Standard streams and environment.</summary>
    public CtlIo Io { get; }

    /// <summary>Cancelled by Ctrl-C / SIGTERM.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The output format.</summary>
    public OutputFormat Format { get; }

    /// <summary>A file name given to <c>-o</c> instead of a format (only <c>check</c> accepts one).</summary>
    public string? OutputFile { get; }

    /// <summary>Writes results.</summary>
    public Printer Printer { get; }

    /// <summary>The client over the resolved endpoints.</summary>
    public DistIpamClient Client => _client ??= new DistIpamClient(new DistIpamClientOptions
    {
        Endpoints = [.. DefaultEndpoint.Resolve(Parse.GetValue(_options.Endpoint) ?? [], Io.GetEnvironment)],
        Timeout = TimeSpan.FromSeconds(Parse.GetValue(_options.Timeout)),
        AttemptTimeout = TimeSpan.FromSeconds(Math.Min(5, Parse.GetValue(_options.Timeout))),
        CaFile = Parse.GetValue(_options.CaFile),
        ClientCertificateFile = Parse.GetValue(_options.CertFile),
        ClientKeyFile = Parse.GetValue(_options.KeyFile),
        TokenFile = Parse.GetValue(_options.TokenFile) ?? NullIfEmpty(Io.GetEnvironment("DISTIPAM_TOKEN_FILE")),
    });

    /// <summary>Fails with exit code 2 when <c>-o</c> named a file.</summary>
    public void RequireFormatOnly()
    {
        if (OutputFile is not null)
        {
            throw new UsageException($"-o '{OutputFile}' is not a format (table, json, yaml)");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client?.Dispose();

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
