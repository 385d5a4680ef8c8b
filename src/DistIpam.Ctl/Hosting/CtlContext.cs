using System.CommandLine;
using System.Security.Cryptography;
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

    /// <summary>
    /// The client over the resolved endpoints. A configuration the client refuses (a token over a
    /// plaintext network endpoint, TLS files that are not PEM certificates and keys) is a
    /// <see cref="UsageException"/> naming the endpoint or the files.
    /// </summary>
    public DistIpamClient Client => _client ??= CreateClient();

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

    private DistIpamClient CreateClient()
    {
        var options = new DistIpamClientOptions
        {
            Endpoints = [.. DefaultEndpoint.Resolve(Parse.GetValue(_options.Endpoint) ?? [], Io.GetEnvironment)],
            Timeout = TimeSpan.FromSeconds(Parse.GetValue(_options.Timeout)),
            AttemptTimeout = TimeSpan.FromSeconds(Math.Min(5, Parse.GetValue(_options.Timeout))),
            CaFile = Parse.GetValue(_options.CaFile),
            ClientCertificateFile = Parse.GetValue(_options.CertFile),
            ClientKeyFile = Parse.GetValue(_options.KeyFile),
            TokenFile = Parse.GetValue(_options.TokenFile) ?? NullIfEmpty(Io.GetEnvironment("DISTIPAM_TOKEN_FILE")),
        };
        try
        {
            return new DistIpamClient(options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        catch (CryptographicException e)
        {
            string?[] files = [Named("--cert-file", options.ClientCertificateFile), Named("--key-file", options.ClientKeyFile), Named("--ca-file", options.CaFile)];
            throw new UsageException($"cannot load the TLS files ({string.Join(", ", files.OfType<string>())}): {e.Message}");
        }
    }

    private static string? Named(string option, string? file) => file is null ? null : $"{option} {file}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
