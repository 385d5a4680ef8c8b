using Grpc.Core;

namespace DistIpam.Client;

/// <summary>One failed attempt that the client retries.</summary>
/// <param name="Method">The full gRPC method name.</param>
/// <param name="Endpoint">The endpoint that failed.</param>
/// <param name="Attempt">1 for the first attempt of the call.</param>
/// <param name="Status">What the attempt failed with.</param>
public sealed record ClientRetry(string Method, ClientEndpoint Endpoint, int Attempt, Status Status);
