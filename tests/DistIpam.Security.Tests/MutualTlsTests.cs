using System.Security.Cryptography.X509Certificates;
using DistIpam.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Security.Tests;

/// <summary>The mutual-TLS handshake: who gets in, who is turned away before any RPC, and rotation without restart.</summary>
public sealed class MutualTlsTests(MutualTlsServerFixture fixture) : IClassFixture<MutualTlsServerFixture>
{
    private static readonly TimeSpan RotationTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Handshake_ClientCertificateOfClientCa_Accepted()
    {
        var pools = new Pools.PoolsClient(fixture.Invoker(fixture.Client("admin")));

        var listed = await pools.ListPoolsAsync(new ListPoolsRequest());

        Assert.Contains(listed.Pools, p => p.Name == "pods-v4");
    }

    [Fact]
    public async Task Handshake_ClientCertificateOfOtherCa_Refused()
    {
        using var other = new TestCertificates("some-other-ca");

        await AssertHandshakeRefusedAsync(fixture.Invoker(other.IssueClient("admin")));
    }

    [Fact]
    public async Task Handshake_ExpiredClientCertificate_Refused() =>
        await AssertHandshakeRefusedAsync(fixture.Invoker(fixture.Pki.IssueClient("admin", expired: true)));

    [Fact]
    public async Task Handshake_NoClientCertificate_Refused() =>
        await AssertHandshakeRefusedAsync(fixture.Invoker(token: SecureServerFixture.AdminToken));

    [Fact]
    public async Task Call_PlaintextOnTlsPort_Fails()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Server.GrpcPort}");

        var failure = await Assert.ThrowsAsync<RpcException>(() => new Pools.PoolsClient(channel).ListPoolsAsync(new ListPoolsRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, failure.StatusCode);
    }

    [Fact]
    public async Task Call_CertificateOfCaWithUnknownName_Unauthenticated()
    {
        var pools = new Pools.PoolsClient(fixture.Invoker(fixture.Client("stranger")));

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => pools.ListPoolsAsync(new ListPoolsRequest()).ResponseAsync, "authentication required");
    }

    [Fact]
    public async Task Handshake_ServerCertificateRewritten_NewCertificateServedWithoutRestart()
    {
        var processId = fixture.Server.ProcessId;
        var rotated = fixture.Pki.IssueServer("distipam-server-rotated");
        var written = fixture.Pki.Write(rotated, "server");
        Assert.Equal(fixture.ServerFiles, written);

        await Poll.UntilAsync(
            async () =>
            {
                X509Certificate2? seen = null;
                var pools = new Pools.PoolsClient(SecureChannels.Create(fixture.Server.GrpcPort, fixture.Pki.Authority, fixture.Client("admin"), seen: c => seen = c));
                await pools.ListPoolsAsync(new ListPoolsRequest());
                return seen?.Thumbprint == rotated.Thumbprint ? null : $"certificate {seen?.Subject}";
            },
            RotationTimeout,
            "the rotated certificate CN=distipam-server-rotated on a new connection");
        Assert.Equal(processId, fixture.Server.ProcessId);
    }

    private static async Task AssertHandshakeRefusedAsync(CallInvoker invoker)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => new Pools.PoolsClient(invoker).ListPoolsAsync(new ListPoolsRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        // Refused at the TLS layer: the connection fails, no RPC status from the service arrives.
        Assert.True(failure.StatusCode is StatusCode.Unavailable or StatusCode.Internal, $"expected a failed connection, saw {failure.StatusCode}: {failure.Status.Detail}");
    }
}
