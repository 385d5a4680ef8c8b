using Grpc.Core;

namespace DistIpam.Client;

/// <summary>One failed attempt of a unary call, retried or not.</summary>
/// <param name="Method">The full gRPC method name.</param>
/// <param name="Endpoint">The endpoint that answered (or could not be reached).</param>
/// <param name="Attempt">1 for the first attempt of the call.</param>
/// <param name="Status">What the attempt failed with.</param>
/// <param name="Retrying">Whether the client tries again; false when this failure ends the call.</param>
public sealed record ClientAttemptFailure(string Method, ClientEndpoint Endpoint, int Attempt, Status Status, bool Retrying);
