using Grpc.Core;

namespace DistIpam.Chaos.Tests.Client;

/// <summary>The end of one client operation (after retries).</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Value">The reply when it succeeded.</param>
/// <param name="Code">The last gRPC status code (OK when it succeeded).</param>
/// <param name="Detail">The last status detail.</param>
/// <param name="Attempts">How many attempts it took.</param>
internal sealed record CallOutcome<T>(CallStatus Status, T? Value, StatusCode Code, string Detail, int Attempts)
    where T : class
{
    /// <summary>The reply; throws when the call did not succeed.</summary>
    public T Reply => Value ?? throw new InvalidOperationException($"the call ended {Status} ({Code}: {Detail}), not with a reply");

    /// <summary>Whether the model must treat the effect as unknown.</summary>
    public bool IsUncertain => Status is CallStatus.Unknown or CallStatus.Internal;

    /// <inheritdoc />
    public override string ToString() => Status == CallStatus.Succeeded ? $"OK after {Attempts} attempts" : $"{Status} {Code}: {Detail} after {Attempts} attempts";
}
