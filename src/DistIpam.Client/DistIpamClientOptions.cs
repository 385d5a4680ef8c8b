using System.Security.Cryptography.X509Certificates;

namespace DistIpam.Client;

/// <summary>How a <see cref="DistIpamClient"/> reaches the servers and how long it keeps trying.</summary>
public sealed class DistIpamClientOptions
{
    /// <summary>Server endpoints in order of preference (see <see cref="ClientEndpoint"/>). At least one.</summary>
    public IList<string> Endpoints { get; init; } = [];

    /// <summary>
    /// The whole call, all attempts and backoffs included, unless the caller's
    /// <see cref="Grpc.Core.CallOptions.Deadline"/> is sooner. Default 30 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One attempt on one endpoint: a server that accepts the call but never answers must not eat
    /// the other endpoints' time. Default 5 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Also bound each attempt by an equal share of the time left among the endpoints not yet tried
    /// in this round (the last one gets all of it), so that an endpoint that accepts calls but never
    /// answers cannot eat the others' time even when <see cref="AttemptTimeout"/> is long. Default false.
    /// </summary>
    public bool ShareTimeAmongEndpoints { get; set; }

    /// <summary>
    /// How many rounds over all endpoints a call makes before it gives up with the last failure;
    /// 0 (default): until <see cref="Timeout"/>. 1 suits a status probe that reports the present.
    /// </summary>
    public int MaxRounds { get; set; }

    /// <summary>
    /// How long a connection may be idle before an HTTP/2 ping checks it (keeps a watch alive through
    /// quiet periods). Default 30 s; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> sends none,
    /// which also saves a process that lives for one call the handler's heartbeat timer.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause after every endpoint failed once, doubling up to <see cref="MaxBackoff"/>. Default 50 ms.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest pause between rounds. Default 1 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Also retry an attempt that ran out of <see cref="AttemptTimeout"/> (DEADLINE_EXCEEDED) or met
    /// ABORTED. Safe for every DistIpam RPC (each is idempotent by its key) except that a retried
    /// create may answer ALREADY_EXISTS for the object the first attempt made. Default true.
    /// </summary>
    public bool RetryTimeouts { get; set; } = true;

    /// <summary>
    /// More status codes to retry (e.g. INTERNAL from a silo killed mid-call, for a load generator
    /// that must keep going). Default none.
    /// </summary>
    public IList<Grpc.Core.StatusCode> AlsoRetry { get; init; } = [];

    /// <summary>PEM file of the CA that signs the servers' certificates (https endpoints). Null: the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>The CA certificates themselves, instead of <see cref="CaFile"/> (for a caller that loaded and checked them).</summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>A client certificate with its private key, instead of <see cref="ClientCertificateFile"/>. Not disposed by the client.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// A file holding a bearer token, sent as <c>authorization: Bearer &lt;token&gt;</c> on every call.
    /// Re-read when the file changes (rotated service-account tokens).
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>A bearer token itself, instead of <see cref="TokenFile"/> (for a process that lives for one call).</summary>
    public string? Token { get; set; }

    /// <summary>Called for every failed attempt that is retried (for logs and counters).</summary>
    public Action<ClientRetry>? OnRetry { get; set; }

    /// <summary>Called for every failed attempt, also the one whose failure ends the call (its endpoint is only known here).</summary>
    public Action<ClientAttemptFailure>? OnAttemptFailed { get; set; }
}
