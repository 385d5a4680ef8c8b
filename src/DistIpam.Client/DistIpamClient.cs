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
    private readonly X509Certificate2? _clientCertificate;
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
        if (options.TokenFile is not null && Endpoints.FirstOrDefault(IsPlaintextOverNetwork) is { } plaintext)
        {
            // The same rule as the CNI plugin's: a bearer token never crosses a network in clear text.
            throw new ArgumentException($"a token file is set but endpoint '{plaintext.Text}' is plaintext over the network; use https:// (or unix://, or loopback)", nameof(options));
        }

        _token = options.TokenFile is null ? null : new BearerToken(options.TokenFile);
        if (options.ClientCertificateFile is not null)
        {
            _clientCertificate = X509Certificate2.CreateFromPemFile(options.ClientCertificateFile, options.ClientKeyFile);
        }

        if (options.CaFile is not null)
        {
            _trustedRoots = [];
            _trustedRoots.ImportFromPemFile(options.CaFile);
        }

        Ipam = new Ipam.IpamClient(CallInvoker(0));
        Pools = new Pools.PoolsClient(CallInvoker(0));
        Services = new Services.ServicesClient(CallInvoker(0));
        Nodes = new Nodes.NodesClient(CallInvoker(0));
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

    /// <summary>Pod IPAM, starting at the first endpoint.</summary>
    public Ipam.IpamClient Ipam { get; }

    /// <summary>Pool administration, starting at the first endpoint.</summary>
    public Pools.PoolsClient Pools { get; }

    /// <summary>Services and endpoints, starting at the first endpoint (a watch stays on it).</summary>
    public Services.ServicesClient Services { get; }

    /// <summary>Node leases and draining, starting at the first endpoint.</summary>
    public Nodes.NodesClient Nodes { get; }

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

        _clientCertificate?.Dispose();
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
        if (_token is null)
        {
            return callerHeaders ?? [];
        }

        var headers = new Metadata();
        foreach (var entry in callerHeaders ?? [])
        {
            headers.Add(entry);
        }

        headers.Add("authorization", _token.HeaderValue());
        return headers;
    }

    private static bool IsPlaintextOverNetwork(ClientEndpoint endpoint) =>
        endpoint.SocketPath is null
        && !endpoint.IsTls
        && !endpoint.Address.IsLoopback
        && !(System.Net.IPAddress.TryParse(endpoint.Address.DnsSafeHost, out var address) && System.Net.IPAddress.IsLoopback(address));

    internal void CountRetry(ClientRetry retry)
    {
        Interlocked.Increment(ref _retries);
        Options.OnRetry?.Invoke(retry);
    }
}
