using DistIpam.Server.Hosting;
using DistIpam.Server.Validation;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Tests.Validation;

public sealed class RequestDeadlineInterceptorTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task UnaryServerHandler_NoClientDeadline_CancelledAtTheCapWithDeadlineExceeded()
    {
        var interceptor = Interceptor(Cap);
        var context = new FakeServerCallContext(DateTime.MaxValue);
        DateTime seenDeadline = default;

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("request", context, async (_, inner) =>
        {
            seenDeadline = inner.Deadline;
            await Task.Delay(Timeout.InfiniteTimeSpan, inner.CancellationToken);
            return "never";
        }).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("MaxRequestDuration", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(seenDeadline < DateTime.UtcNow.AddMinutes(1), $"the handler saw deadline {seenDeadline:O}, not the cap");
    }

    [Fact]
    public async Task UnaryServerHandler_ClientDeadlineBeforeTheCap_SameContextAndAnswer()
    {
        var interceptor = Interceptor(TimeSpan.FromMinutes(2));
        var context = new FakeServerCallContext(DateTime.UtcNow.AddSeconds(5));

        var answer = await interceptor.UnaryServerHandler<string, string>("request", context, (_, inner) =>
            Task.FromResult(ReferenceEquals(inner, context) ? "same context" : "another context"));

        Assert.Equal("same context", answer);
    }

    [Fact]
    public async Task UnaryServerHandler_CapDisabled_NoDeadlineStaysNone()
    {
        var interceptor = Interceptor(TimeSpan.Zero);
        var context = new FakeServerCallContext(DateTime.MaxValue);

        var deadline = await interceptor.UnaryServerHandler<string, string>("request", context, (_, inner) => Task.FromResult(inner.Deadline.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(DateTime.MaxValue.ToString("O", System.Globalization.CultureInfo.InvariantCulture), deadline);
    }

    [Fact]
    public async Task UnaryServerHandler_FailsForItsOwnReasonBeforeTheCap_ErrorPassesThrough()
    {
        var interceptor = Interceptor(TimeSpan.FromMinutes(2));
        var context = new FakeServerCallContext(DateTime.MaxValue);

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("request", context, (_, _) =>
            throw new RpcException(new Status(StatusCode.NotFound, "handle 'h' is unknown"))));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static RequestDeadlineInterceptor Interceptor(TimeSpan cap) =>
        new(Options.Create(new DistIpamOptions { MaxRequestDuration = cap }));
}
