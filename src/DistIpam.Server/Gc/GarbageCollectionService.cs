using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Gc;

/// <summary>The GC controller over gRPC (see gc.proto).</summary>
public sealed class GarbageCollectionService(GcController controller) : GarbageCollection.GarbageCollectionBase
{
    /// <inheritdoc />
    public override Task<GcStatus> RunGc(RunGcRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return controller.RunOnceAsync(context.CancellationToken);
    }

    /// <inheritdoc />
    public override Task<GcStatus> GetGcStatus(GetGcStatusRequest request, ServerCallContext context) => Task.FromResult(controller.Status);
}
