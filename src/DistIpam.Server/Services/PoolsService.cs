using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Pools;
using DistIpam.Server.Validation;
using Grpc.Core;

namespace DistIpam.Server.Services;

/// <summary>Pool administration and usage; consistency checks live in <see cref="ConsistencyChecker"/>.</summary>
public sealed class PoolsService(IGrainFactory grains, PoolDirectory directory, ConsistencyChecker checker, ServiceValueChecker serviceValues, Nodes.NodeDrainer drainer, Nodes.NodeDirectory nodes) : Pools.PoolsBase
{
    private IPoolCatalogGrain Catalog => grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key);

    /// <inheritdoc />
    public override async Task<Pool> CreatePool(CreatePoolRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = RequirePool(request.Pool);
        var created = await Catalog.CreateAsync(ProtoMapper.DefinitionOf(pool));
        directory.Invalidate();
        return ProtoMapper.PoolOf(created);
    }

    /// <inheritdoc />
    public override async Task<Pool> UpdatePool(UpdatePoolRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = RequirePool(request.Pool);
        var updated = await Catalog.UpdateAsync(ProtoMapper.DefinitionOf(pool));
        directory.Invalidate();
        return ProtoMapper.PoolOf(updated);
    }

    /// <inheritdoc />
    public override async Task<DeletePoolResponse> DeletePool(DeletePoolRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Identifier("name", request.Name);
        await Catalog.DeleteAsync(request.Name);
        directory.Invalidate();
        return new DeletePoolResponse();
    }

    /// <inheritdoc />
    public override async Task<Pool> GetPool(GetPoolRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Identifier("name", request.Name);
        var pool = await Catalog.GetAsync(request.Name)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"pool '{request.Name}' does not exist"));
        return ProtoMapper.PoolOf(pool);
    }

    /// <inheritdoc />
    public override async Task<ListPoolsResponse> ListPools(ListPoolsRequest request, ServerCallContext context)
    {
        var response = new ListPoolsResponse();
        response.Pools.AddRange((await Catalog.ListAsync()).Select(ProtoMapper.PoolOf));
        return response;
    }

    /// <inheritdoc />
    public override async Task<ListBlocksResponse> ListBlocks(ListBlocksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Identifier("pool", request.Pool);
        await directory.GetAsync(request.Pool);
        var response = new ListBlocksResponse();
        foreach (var claim in await grains.GetGrain<IPoolGrain>(request.Pool).ListClaimsAsync())
        {
            if (!string.IsNullOrEmpty(request.Node) && claim.Node != request.Node)
            {
                continue;
            }

            var usage = await grains.GetGrain<IBlockGrain>(BlockKey.Of(request.Pool, claim.Block)).GetUsageAsync();
            response.Blocks.Add(new BlockInfo
            {
                Pool = request.Pool,
                Cidr = claim.Block,
                Node = claim.Node,
                Claim = claim.Returning ? "returning" : claim.Confirmed ? "confirmed" : "pending",
                Capacity = usage.Capacity,
                Used = usage.Used,
                Gateway = usage.Gateway ?? "",
            });
        }

        return response;
    }

    /// <inheritdoc />
    public override async Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new GetUsageResponse();
        var all = await directory.AllAsync();
        foreach (var definition in all.Values.Where(p => string.IsNullOrEmpty(request.Pool) || p.Name == request.Pool).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var spec = PoolDefinitionMapper.ToSpec(definition);
            var claims = await grains.GetGrain<IPoolGrain>(definition.Name).ListClaimsAsync();
            long allocated = 0;
            var perNode = new Dictionary<string, (long Blocks, long Allocated)>(StringComparer.Ordinal);
            foreach (var claim in claims)
            {
                var usage = await grains.GetGrain<IBlockGrain>(BlockKey.Of(definition.Name, claim.Block)).GetUsageAsync();
                allocated += usage.Used;
                var current = perNode.GetValueOrDefault(claim.Node);
                perNode[claim.Node] = (current.Blocks + 1, current.Allocated + usage.Used);
            }

            var blockCount = spec.Cidr.BlockCount(spec.BlockPrefixLength);
            response.Pools.Add(new PoolUsage
            {
                Pool = definition.Name,
                Size = spec.Cidr.Size.ToString(CultureInfo.InvariantCulture),
                BlocksClaimed = claims.Count,
                BlocksFree = (blockCount - (UInt128)claims.Count).ToString(CultureInfo.InvariantCulture),
                Allocated = allocated,
            });
            foreach (var (node, usage) in perNode.Where(n => string.IsNullOrEmpty(request.Node) || n.Key == request.Node).OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                response.Nodes.Add(new NodeUsage { Node = node, Pool = definition.Name, Blocks = usage.Blocks, Allocated = usage.Allocated });
            }
        }

        return response;
    }

    /// <inheritdoc />
    public override async Task<ReleaseNodeResponse> ReleaseNode(ReleaseNodeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Node("node", request.Node);
        return await drainer.DrainAsync(request.Node, "Pools.ReleaseNode");
    }

    /// <inheritdoc />
    public override async Task<ConsistencyReport> CheckConsistency(CheckConsistencyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasMinAgeMs && request.MinAgeMs < 0)
        {
            throw new Errors.RequestValidationException($"min_age_ms {request.MinAgeMs} is negative");
        }

        var report = await checker.CheckAsync(
            string.IsNullOrEmpty(request.Pool) ? null : request.Pool,
            request.HasMinAgeMs ? TimeSpan.FromMilliseconds(request.MinAgeMs) : ConsistencyChecker.OrphanGrace,
            verified: null);
        await serviceValues.AddFindingsAsync(report, string.IsNullOrEmpty(request.Pool) ? null : request.Pool);
        report.ExpiredNodes.AddRange((await nodes.ListAsync()).Where(n => n.LeaseState == LeaseState.Expired && n.Blocks > 0).Select(n => n.Name));
        return report;
    }

    /// <inheritdoc />
    public override async Task<ReleaseFromReportResponse> ReleaseFromReport(ReleaseFromReportRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = request.Report ?? new ConsistencyReport();
        var response = await checker.RepairAsync(report, "Pools.ReleaseFromReport");
        await serviceValues.RepairAsync(report.LeakedServiceValues, response);
        return response;
    }

    private static Pool RequirePool(Pool? pool)
    {
        if (pool is null)
        {
            throw new Errors.RequestValidationException("pool is required");
        }

        RequestValidator.Identifier("pool.name", pool.Name);
        return pool;
    }
}
