using DistIpam.Client;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// The failed attempts of one call: logged to stderr in the first round only (later rounds would
/// repeat the same lines until the deadline), and each endpoint's last failure kept for code 11's
/// <c>details</c>. A CNI call runs on one logical thread; the client reports attempts in order.
/// </summary>
internal sealed class AttemptLog(IReadOnlyList<ClientEndpoint> endpoints, string operation, TextWriter log)
{
    private readonly string?[] _lastFailure = new string?[endpoints.Count];

    /// <summary>Attempts that failed so far.</summary>
    public int Count { get; private set; }

    /// <summary>The endpoint of the latest failed attempt, or null.</summary>
    public string? LastEndpoint { get; private set; }

    /// <summary>Records one failed attempt (DistIpamClientOptions.OnAttemptFailed).</summary>
    public void Add(ClientAttemptFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Count++;
        LastEndpoint = failure.Endpoint.Text;
        var index = (failure.Attempt - 1) % endpoints.Count;
        _lastFailure[index] = RpcFailures.IsRetryable(failure.Status.StatusCode) ? RpcStatusText.Describe(failure.Status) : null;
        if (failure.Attempt <= endpoints.Count && _lastFailure[index] is { } text)
        {
            log.WriteLine($"distipam: {operation} via {failure.Endpoint} failed: {text}");
        }
    }

    /// <summary>Each endpoint with its last failure: the <c>details</c> of code 11.</summary>
    public string Summary() =>
        string.Join("; ", endpoints.Select((e, i) => $"{e}: {_lastFailure[i] ?? "not tried (deadline reached)"}"));
}
