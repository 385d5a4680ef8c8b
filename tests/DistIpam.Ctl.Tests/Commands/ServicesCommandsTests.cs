using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary><c>services</c>, <c>endpoints</c> and <c>watch</c> against a real server.</summary>
public sealed class ServicesCommandsTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task ListShowEndpoints_ServiceWithEndpoint_ShownInEachCommand()
    {
        var space = TestIds.Unique("ns");
        var created = await CreateWithEndpointAsync(space, "web");

        var list = (await CtlRun.RunAsync(fixture.Endpoint, "services", "list", "-n", space)).Expect(ExitCodes.Ok);
        var show = (await CtlRun.RunAsync(fixture.Endpoint, "services", "show", $"{space}/web", "-o", "json")).Expect(ExitCodes.Ok);
        var endpoints = (await CtlRun.RunAsync(fixture.Endpoint, "endpoints", $"{space}/web")).Expect(ExitCodes.Ok);

        list.AssertOut($@"{space}\s+web\s+ClusterIP\s+{created.ClusterIps[0].Replace(".", "\\.", StringComparison.Ordinal)}\s+80/TCP");
        Assert.Equal(created.ClusterIps[0], show.Json().GetProperty("service").GetProperty("clusterIps")[0].GetString());
        endpoints.AssertOut(@"pod-1\s+10\.1\.2\.3\s+http:8080/TCP\s+yes\s+yes\s+no\s+node-a");
    }

    [Fact]
    public async Task Endpoints_UnknownService_ExitThree()
    {
        (await CtlRun.RunAsync(fixture.Endpoint, "endpoints", $"{TestIds.Unique("ns")}/none")).Expect(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Endpoints_NotNamespaceSlashName_ExitTwo()
    {
        (await CtlRun.RunAsync(fixture.Endpoint, "endpoints", "just-a-name")).Expect(ExitCodes.Usage);
    }

    [Fact]
    public async Task Watch_FromBeforeCreate_StreamsTheServiceAsJsonLines()
    {
        var space = TestIds.Unique("ns");
        using var client = new DistIpamClient(fixture.Endpoint);
        var version = (await client.Services.ListServicesAsync(new ListServicesRequest())).Version;
        await CreateWithEndpointAsync(space, "api");

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "watch", "--from", version.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", space, "--count", "2", "-o", "json")).Expect(ExitCodes.Ok);

        var events = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("ADDED", events[0].GetProperty("type").GetString());
        Assert.Equal("api", events[0].GetProperty("service").GetProperty("name").GetString());
    }

    private async Task<Service> CreateWithEndpointAsync(string space, string name)
    {
        using var client = new DistIpamClient(fixture.Endpoint);
        var service = new Service { Namespace = space, Name = name };
        service.Ports.Add(new ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        var created = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = service });
        var upsert = new UpsertEndpointsRequest { Namespace = space, Service = name };
        var endpoint = new Endpoint { Target = "pod-1", NodeName = "node-a" };
        endpoint.Addresses.Add("10.1.2.3");
        endpoint.Ports.Add(new EndpointPort { Name = "http", Port = 8080 });
        upsert.Endpoints.Add(endpoint);
        await client.Services.UpsertEndpointsAsync(upsert);
        return created;
    }
}
