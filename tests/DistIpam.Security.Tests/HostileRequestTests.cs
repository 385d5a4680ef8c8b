using DistIpam.Api.V1;
using DistIpam.Security.Tests.Fuzz;
using Grpc.Core;

namespace DistIpam.Security.Tests;

/// <summary>Regression tests of the defects the gRPC fuzz suite found.</summary>
public sealed class HostileRequestTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x12, 0x03, 0xFF, 0xFE, 0xC0 })]
    [InlineData(new byte[] { 0x0A, 0x19, 0x0A, 0x07 })]
    public async Task Allocate_UndecodableBody_InvalidArgument(byte[] body)
    {
        // Was UNKNOWN "Exception was thrown by handler.": Grpc.AspNetCore decodes outside the interceptors.
        var clients = new GrpcClients(fixture.Server.CreateChannel().CreateCallInvoker());

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => clients.SendRawAsync("/distipam.v1.Ipam/Allocate", body, default), "not a valid AllocateRequest");
    }

    [Fact]
    public async Task CreateService_HugeLabelKey_ShortMessageAndChannelStillServes()
    {
        // Was a 70 KB grpc-message: the client's 64 KiB header limit tore the connection down.
        var channel = fixture.Server.CreateChannel();
        var services = new Services.ServicesClient(channel);
        var service = new Service { Namespace = "hostile", Name = "svc" };
        service.Ports.Add(new ServicePort { Port = 80 });
        service.Labels[new string('k', 70_000)] = "v";

        var failure = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => services.CreateServiceAsync(new CreateServiceRequest { Service = service }).ResponseAsync, "labels");

        Assert.True(failure.Status.Detail.Length < 600, $"the message is {failure.Status.Detail.Length} characters long");
        Assert.True((await new Ipam.IpamClient(channel).StatusAsync(new StatusRequest())).Ready);
    }
}
