using DistIpam.Api.V1;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Endpoints in slices of at most 100 per family with minimal churn; list with selectors.</summary>
public sealed class ServicesEndpointTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    [Fact]
    public async Task Upsert_250DualStackEndpoints_ThreeSlicesPerFamilyThenOneTouched()
    {
        var ns = Svc.UniqueNamespace("ep");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "web", policy: IpFamilyPolicy.PreferDualStack) });
        var endpoints = Enumerable.Range(0, 250).Select(i => Svc.Endpoint($"pod-{i}", $"10.1.{i / 200}.{(i % 200) + 1}", $"fd00:1::{i + 1:x}")).ToArray();

        var first = await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "web", endpoints));
        var changed = Svc.Endpoint("pod-7", "10.1.0.8", "fd00:1::8");
        changed.Conditions = new EndpointConditions { Ready = false, Terminating = true };
        var second = await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "web", changed));

        Assert.Equal(6, first.Slices.Count);
        Assert.All(first.Slices, s => Assert.InRange(s.Endpoints.Count, 1, 100));
        Assert.Equal(250, first.Slices.Where(s => s.Family == IpFamily.V4).Sum(s => s.Endpoints.Count));
        Assert.All(first.Slices.SelectMany(s => s.Endpoints), e => Assert.True(e.Conditions.Ready && e.Conditions.Serving && !e.Conditions.Terminating));
        var touched = second.Slices.Where(s => !first.Slices.Any(f => f.Name == s.Name && f.Version == s.Version)).ToList();
        Assert.Equal(2, touched.Count);
        var endpoint = touched.SelectMany(s => s.Endpoints).First(e => e.Target == "pod-7");
        Assert.True(!endpoint.Conditions.Ready && endpoint.Conditions.Serving && endpoint.Conditions.Terminating);
    }

    [Fact]
    public async Task Remove_AllEndpointsOfSlice_SliceDeletedOthersUntouched()
    {
        var ns = Svc.UniqueNamespace("ep");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "web") });
        var first = await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "web", [.. Enumerable.Range(0, 150).Select(i => Svc.Endpoint($"pod-{i}", $"10.2.0.{i + 1}"))]));
        var full = first.Slices.Single(s => s.Endpoints.Count == 100);
        var rest = first.Slices.Single(s => s.Endpoints.Count == 50);
        var remove = new RemoveEndpointsRequest { Namespace = ns, Service = "web" };
        remove.Targets.AddRange(rest.Endpoints.Select(e => e.Target).Append("never-there"));

        var after = await _services.RemoveEndpointsAsync(remove);

        Assert.Equal(full, Assert.Single(after.Slices));
    }

    [Fact]
    public async Task ListServices_Selectors_MatchKubernetesSemantics()
    {
        var ns = Svc.UniqueNamespace("list");
        foreach (var (name, app) in new[] { ("a", "web"), ("b", "db"), ("c", "") })
        {
            var service = Svc.Of(ns, name);
            if (app.Length > 0)
            {
                service.Labels["app"] = app;
            }

            await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });
        }

        async Task<string> NamesAsync(string selector) => string.Join(",", (await _services.ListServicesAsync(new ListServicesRequest { Namespace = ns, LabelSelector = selector })).Services.Select(s => s.Name));

        Assert.Equal("a,b,c", await NamesAsync(""));
        Assert.Equal("a,b", await NamesAsync("app"));
        Assert.Equal("c", await NamesAsync("!app"));
        Assert.Equal("a", await NamesAsync("app=web"));
        Assert.Equal("b,c", await NamesAsync("app!=web"));
        Assert.Equal("", await NamesAsync("app=web,!app"));
        var list = await _services.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        Assert.True(list.Version >= list.Services.Max(s => s.Version));
    }
}
