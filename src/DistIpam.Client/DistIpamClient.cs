using System.Security.Cryptography.X509Certificates;
using DistIpam.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Client;

/// <summary>
/// A client of every DistIpam service over one list of endpoints. Unary calls fail over in order and
/// retry UNAVAILABLE with the same request (every DistIpam RPC is idempotent by its key: a handle, a
/// pool or service name), within per-attempt and whole-call deadlines (see
/// <see cref="DistIpamClientOptions"/>). Channels open on first use and are shared by all calls.
/// Thread-safe.
/// </summary>
public sealed class DistIpamClient : IDisposable
{
    private readonly GrpcChannel?[] _channels;
    private readonly Lock _gate = new();
    private readonly BearerToken? _token;
    private readonly string? _tokenHeader;
    private readonly X509Certificate2? _clientCertificate;
    private readonly bool _ownsClientCertificate;
    private readonly X509Certificate2Collection? _trustedRoots;
    private long _retries;
    private bool _disposed;

    /// <summary>Creates a client; <see cref="FormatException"/> for a bad endpoint, <see cref="IOException"/> for unreadable TLS files.</summary>
    public DistIpamClient(DistIpamClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is required", nameof(options));
        }

        Options = options;
        Endpoints = [.. options.Endpoints.Select(ClientEndpoint.Parse)];
        _channels = new GrpcChannel?[Endpoints.Count];
        if ((options.TokenFile ?? options.Token) is not null && Endpoints.FirstOrDefault(e => e.IsPlaintextOverNetwork) is { } plaintext)
        {
            // The same rule as the CNI plugin's: a bearer token never crosses a network in clear text.
            throw new ArgumentException($"a bearer token is set but endpoint '{plaintext.Text}' is plaintext over the network; use https:// (or unix://, or loopback)", nameof(options));
        }

        _token = options.TokenFile is null ? null : new BearerToken(options.TokenFile);
        _tokenHeader = options.Token is null ? null : "Bearer " + options.Token;
        if (options.ClientCertificateFile is not null)
        {
            _clientCertificate = X509Certificate2.CreateFromPemFile(options.ClientCertificateFile, options.ClientKeyFile);
            _ownsClientCertificate = true;
        }
        else
        {
            _clientCertificate = options.ClientCertificate;
        }

        if (options.CaFile is not null)
        {
            _trustedRoots = [];
            _trustedRoots.ImportFromPemFile(options.CaFile);
        }
        else
        {
            _trustedRoots = options.TrustedRoots;
        }
    }

    /// <summary>Creates a client of <paramref name="endpoints"/> with default options.</summary>
    public DistIpamClient(params string[] endpoints)
        : this(new DistIpamClientOptions { Endpoints = endpoints })
    {
    }

    /// <summary>The options given.</summary>
    public DistIpamClientOptions Options { get; }

    /// <summary>The parsed endpoints, in order of preference.</summary>
    public IReadOnlyList<ClientEndpoint> Endpoints { get; }

    // The service clients are made on first use: a caller that needs one service (the AOT CNI plugin)
    // then neither builds the others' method tables at start-up nor links their code.

    /// <summary>Pod IPAM, starting at the first endpoint.</summary>
    public Ipam.IpamClient Ipam => field ??= new(CallInvoker(0));

    /// <summary>Pool administration, starting at the first endpoint.</summary>
    public Pools.PoolsClient Pools => field ??= new(CallInvoker(0));

    /// <summary>Services and endpoints, starting at the first endpoint (a watch stays on it).</summary>
    public Services.ServicesClient Services => field ??= new(CallInvoker(0));

    /// <summary>Node leases and draining, starting at the first endpoint.</summary>
    public Nodes.NodesClient Nodes => field ??= new(CallInvoker(0));

    /// <summary>Attempts retried so far, over all calls.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// A call invoker that starts at endpoint <paramref name="preferred"/> (modulo the count) and fails
    /// over to the ones after it: give it to any generated client, e.g. to spread load over servers.
    /// </summary>
    public CallInvoker CallInvoker(int preferred) => new FailoverCallInvoker(this, ((preferred % Endpoints.Count) + Endpoints.Count) % Endpoints.Count);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var channel in _channels)
            {
                channel?.Dispose();
            }
        }

        if (_ownsClientCertificate)
        {
            _clientCertificate?.Dispose();
        }
    }

    /// <summary>The channel of endpoint <paramref name="index"/>, opened on first use.</summary>
    internal GrpcChannel Channel(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _channels[index] ??= ClientChannelFactory.Create(Endpoints[index], Options, _clientCertificate, _trustedRoots);
        }
    }

    /// <summary>The caller's headers plus the bearer token, if one is configured.</summary>
    internal Metadata HeadersFor(Metadata? callerHeaders)
    {
        var header = _tokenHeader ?? _token?.HeaderValue();
        if (header is null)
        {
            return callerHeaders ?? [];
        }

        var headers = new Metadata();
        foreach (var entry in callerHeaders ?? [])
        {
            headers.Add(entry);
        }

        headers.Add("authorization", header);
        return headers;
    }

    internal void CountFailure(ClientAttemptFailure failure)
    {
        if (failure.Retrying)
        {
            Interlocked.Increment(ref _retries);
            Options.OnRetry?.Invoke(new ClientRetry(failure.Method, failure.Endpoint, failure.Attempt, failure.Status));
        }

        Options.OnAttemptFailed?.Invoke(failure);
    }
}
