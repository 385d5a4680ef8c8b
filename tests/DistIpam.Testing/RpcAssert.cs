using Grpc.Core;
using Xunit;

namespace DistIpam.Testing;

/// <summary>Assertions on gRPC failures: the status code and what the message must name.</summary>
public static class RpcAssert
{
    /// <summary>
    /// Asserts that <paramref name="call"/> fails with <paramref name="expected"/> and a message that
    /// contains every one of <paramref name="mentions"/>; returns the failure.
    /// </summary>
    public static async Task<RpcException> FailsAsync(StatusCode expected, Func<Task> call, params string[] mentions)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(mentions);
        RpcException failure;
        try
        {
            await call();
            throw new Xunit.Sdk.XunitException($"expected {expected}, but the call succeeded");
        }
        catch (RpcException e)
        {
            failure = e;
        }

        Assert.True(
            failure.StatusCode == expected,
            $"expected {expected}, but saw {failure.StatusCode}: {failure.Status.Detail}");
        foreach (var mention in mentions)
        {
            Assert.True(
                failure.Status.Detail.Contains(mention, StringComparison.Ordinal),
                $"expected the {expected} message to name '{mention}', but it was: {failure.Status.Detail}");
        }

        return failure;
    }
}
