using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Schedules;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>The service steps of a schedule: create/update/delete and endpoint upserts/removals, recorded in a <see cref="ServiceModel"/>.</summary>
internal sealed class ServiceOperations(ChaosClient client, ServiceModel model, string ns, Func<int, int, string> serviceName)
{
    /// <summary>Runs one service step of node <paramref name="node"/>.</summary>
    public Task RunAsync(Operation step, int node)
    {
        ArgumentNullException.ThrowIfNull(step);
        var record = model.For(ns, serviceName(node, step.Slot), nodePort: step.Slot % 2 == 1);
        return step.Kind switch
        {
            OperationKind.CreateService => WriteAsync(record, node, create: true),
            OperationKind.UpdateService => WriteAsync(record, node, create: false),
            OperationKind.DeleteService => DeleteAsync(record, node),
            OperationKind.UpsertEndpoints => UpsertAsync(record, node),
            OperationKind.RemoveEndpoints => RemoveAsync(record, node),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "not a service step"),
        };
    }

    /// <summary>Deletes a service (cleanup).</summary>
    public async Task DeleteAsync(ServiceRecord record, int node)
    {
        ArgumentNullException.ThrowIfNull(record);
        model.DeleteStarting(record);
        var outcome = await client.CallAsync("DeleteService", node, (c, o) => Client(c).DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = record.Name }, o).ResponseAsync);
        model.Deleted(record, outcome);
    }

    private static Api.V1.Services.ServicesClient Client(Grpc.Net.Client.GrpcChannel channel) => new(channel);

    private async Task WriteAsync(ServiceRecord record, int node, bool create)
    {
        if (!create)
        {
            record.Port = record.Port == 80 ? 8080 : 80;
        }

        var service = new Service
        {
            Namespace = ns,
            Name = record.Name,
            Type = record.NodePort ? ServiceType.NodePort : ServiceType.ClusterIp,
            IpFamilyPolicy = record.NodePort ? IpFamilyPolicy.PreferDualStack : IpFamilyPolicy.SingleStack,
            Ports = { new ServicePort { Name = "http", Protocol = Protocol.Tcp, Port = record.Port } },
        };
        service.ClusterIps.AddRange(record.Status == HandleStatus.Held ? record.ClusterIps : []);
        var outcome = create
            ? await client.CallAsync("CreateService", node, (c, o) => Client(c).CreateServiceAsync(new CreateServiceRequest { Service = service }, o).ResponseAsync)
            : await client.CallAsync("UpdateService", node, (c, o) => Client(c).UpdateServiceAsync(new UpdateServiceRequest { Service = service }, o).ResponseAsync);
        model.Written(record, create ? "Create" : $"Update(port {record.Port.ToString(CultureInfo.InvariantCulture)})", outcome);
    }

    private async Task UpsertAsync(ServiceRecord record, int node)
    {
        var request = new UpsertEndpointsRequest { Namespace = ns, Service = record.Name };
        for (var i = 0; i < 2; i++)
        {
            request.Endpoints.Add(new Endpoint
            {
                Target = string.Create(CultureInfo.InvariantCulture, $"pod-{node}-{i}"),
                Addresses = { string.Create(CultureInfo.InvariantCulture, $"10.1.{node}.{10 + i}") },
                Ports = { new EndpointPort { Name = "http", Protocol = Protocol.Tcp, Port = 8080 } },
            });
        }

        var outcome = await client.CallAsync("UpsertEndpoints", node, (c, o) => Client(c).UpsertEndpointsAsync(request, o).ResponseAsync);
        record.Note($"UpsertEndpoints -> {outcome}");
    }

    private async Task RemoveAsync(ServiceRecord record, int node)
    {
        var request = new RemoveEndpointsRequest { Namespace = ns, Service = record.Name, Targets = { string.Create(CultureInfo.InvariantCulture, $"pod-{node}-0") } };
        var outcome = await client.CallAsync("RemoveEndpoints", node, (c, o) => Client(c).RemoveEndpointsAsync(request, o).ResponseAsync);
        record.Note($"RemoveEndpoints -> {outcome}");
    }
}
