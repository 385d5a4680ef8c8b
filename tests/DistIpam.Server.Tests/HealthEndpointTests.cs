using System.Net;
using DistIpam.Api.V1;
using Grpc.Health.V1;

namespace DistIpam.Server.Tests;

/// <summary>grpc.health.v1 and the HTTP endpoints operators and probes use.</summary>
public sealed class HealthEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task GrpcHealthCheck_ReadyServer_Serving()
    {
        var health = new Health.HealthClient(fixture.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task GrpcHealthCheck_OverUnixSocket_Serving()
    {
        var health = new Health.HealthClient(fixture.Server.CreateUnixSocketChannel());

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData("/healthz", "ok")]
    [InlineData("/readyz", "ready")]
    public async Task HttpProbe_ReadyServer_Answers200(string path, string body)
    {
        using var http = fixture.Server.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Metrics_AfterAllocation_PrometheusTextWithAllocationCounter()
    {
        await fixture.Ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), TestHandles.UniqueId("node")));
        using var http = fixture.Server.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE distipam_allocations", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ReadyServer_ReadyWithDefaultPools()
    {
        var status = await fixture.Ipam.StatusAsync(new StatusRequest());

        Assert.True(status.Ready, status.Message);
        Assert.Equal(["pods-v4", "pods-v6"], status.DefaultPools);
    }
}
