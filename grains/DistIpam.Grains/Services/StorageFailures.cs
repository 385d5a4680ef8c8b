using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Services;

/// <summary>
/// Storage failures of the service grains surface as <c>Unavailable</c> (retryable), never as an
/// internal error: an outage or an unknown commit outcome is something a client retries
/// (docs/services.md). Domain failures pass through unchanged.
/// </summary>
internal static class StorageFailures
{
    /// <summary>Awaits <paramref name="write"/>, turning a storage failure into <c>Unavailable</c> naming <paramref name="what"/>.</summary>
    public static async Task OrUnavailableAsync(this Task write, string what)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (e is not IpamGrainException)
        {
            throw Unavailable(what, e);
        }
    }

    /// <summary>An <c>Unavailable</c> failure for a storage failure <paramref name="cause"/> of <paramref name="what"/>.</summary>
    public static IpamGrainException Unavailable(string what, Exception cause) =>
        cause is IpamGrainException { Kind: IpamErrorKind.Unavailable } known
            ? known
            : new IpamGrainException($"{what}: storage did not confirm the write, retry ({cause.Message})", cause) { Kind = IpamErrorKind.Unavailable };
}
