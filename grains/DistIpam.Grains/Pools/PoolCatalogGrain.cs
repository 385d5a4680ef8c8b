using DistIpam.Core.Errors;
using DistIpam.Core.Pools;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Pools;

/// <summary>
/// The pool list. Reentrant so a pool grain may read it while the catalog waits on that pool;
/// every mutation validates and applies in one turn before its first await, and writes are group
/// committed, so interleaved calls see each other's changes and never race on the ETag.
/// </summary>
[Reentrant]
public sealed partial class PoolCatalogGrain : Grain, IPoolCatalogGrain
{
    private readonly IPersistentState<PoolCatalogState> _state;
    private readonly ILogger<PoolCatalogGrain> _logger;
    private readonly WriteBatcher _writer;

    // Pools whose deletion runs: hidden from GetAsync, so a pool grain whose state was just cleared
    // cannot load its definition back from here and take claims again (docs/architecture.md,
    // "Block lifecycle").
    private readonly HashSet<string> _deleting = new(StringComparer.Ordinal);

    /// <summary>Creates the grain.</summary>
    public PoolCatalogGrain(
        [PersistentState("catalog", StorageNames.Ipam)] IPersistentState<PoolCatalogState> state,
        IOptions<IpamGrainOptions> options,
        ILogger<PoolCatalogGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _logger = logger;
        // After a failed write memory may be ahead of storage: reload on the next call (rule 3).
        _writer = new WriteBatcher(this.GetGrainId().ToString(), () => _state.WriteStateAsync(), DeactivateOnIdle, options.Value.UnsafeBrokenVariant, logger);
    }

    /// <inheritdoc />
    public async Task<PoolDefinition> CreateAsync(PoolDefinition definition)
    {
        _writer.ThrowIfFailed();
        var canonical = Validate(definition);
        if (_state.State.Pools.TryGetValue(canonical.Name, out var existing))
        {
            // A create retried after its answer was lost (a client's attempt timed out while the
            // first one committed) is answered as the first was; any other create of the name is refused.
            if (!PoolDefinitionMapper.SameDefinition(existing, canonical))
            {
                throw new IpamGrainException(IpamErrorKind.AlreadyExists, $"pool '{canonical.Name}' already exists as {Describe(existing)}");
            }

            ThrowIfDeleting(existing.Name);
            await _writer.WhenDurableAsync();
            await Pool(existing.Name).InitializeAsync(existing);
            return existing;
        }

        _state.State.Pools[canonical.Name] = canonical;
        await _writer.CommitAsync();
        await Pool(canonical.Name).InitializeAsync(canonical);
        LogCreated(canonical.Name, canonical.Cidr);
        return canonical;
    }

    /// <inheritdoc />
    public async Task<PoolDefinition> EnsureAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        if (_state.State.Pools.TryGetValue(definition.Name, out var existing))
        {
            var wanted = Canonical(definition);
            if (!PoolDefinitionMapper.SameImmutableFields(existing, wanted))
            {
                throw new IpamGrainException(
                    IpamErrorKind.FailedPrecondition,
                    $"pool '{definition.Name}' exists as {Describe(existing)}; the configuration asks for {Describe(wanted)}; "
                    + "change the configuration back or migrate the pool explicitly");
            }

            ThrowIfDeleting(existing.Name);
            await _writer.WhenDurableAsync();
            await Pool(existing.Name).InitializeAsync(existing);
            return existing;
        }

        return await CreateAsync(definition);
    }

    /// <inheritdoc />
    public async Task<PoolDefinition> UpdateAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        if (!_state.State.Pools.TryGetValue(definition.Name, out var existing))
        {
            throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{definition.Name}' does not exist");
        }

        var canonical = Validate(definition);
        if (!PoolDefinitionMapper.SameImmutableFields(existing, canonical))
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"pool '{definition.Name}': cidr, blockPrefixLength, kind and wiring cannot change on a live pool (have {existing.Cidr} /{existing.BlockPrefixLength})");
        }

        // The blocks check reserved ranges against held addresses; push first so a refusal changes nothing.
        ThrowIfDeleting(canonical.Name);
        await Pool(canonical.Name).UpdateDefinitionAsync(canonical);
        if (!_state.State.Pools.ContainsKey(canonical.Name))
        {
            throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{definition.Name}' was deleted meanwhile");
        }

        _state.State.Pools[canonical.Name] = canonical;
        await _writer.CommitAsync();
        return canonical;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string name)
    {
        _writer.ThrowIfFailed();
        if (!_state.State.Pools.ContainsKey(name))
        {
            throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{name}' does not exist");
        }

        ThrowIfDeleting(name);
        _deleting.Add(name);
        try
        {
            await Pool(name).DeleteAsync();
            _state.State.Pools.Remove(name);
            await _writer.CommitAsync();
        }
        finally
        {
            _deleting.Remove(name);
        }

        LogDeleted(name);
    }

    /// <inheritdoc />
    public async Task<PoolDefinition?> GetAsync(string name)
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        return _deleting.Contains(name) ? null : _state.State.Pools.GetValueOrDefault(name);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PoolDefinition>> ListAsync()
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        return [.. _state.State.Pools.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    private void ThrowIfDeleting(string name)
    {
        if (_deleting.Contains(name))
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{name}' is being deleted");
        }
    }

    private PoolDefinition Validate(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var canonical = Canonical(definition);
        try
        {
            var others = _state.State.Pools.Values.Where(p => p.Name != canonical.Name).Select(PoolDefinitionMapper.ToSpec);
            PoolValidator.ValidateAgainst(PoolDefinitionMapper.ToSpec(canonical), others);
        }
        catch (IpamException e)
        {
            throw IpamGrainException.From(e);
        }

        return canonical;
    }

    private static PoolDefinition Canonical(PoolDefinition definition)
    {
        try
        {
            return PoolDefinitionMapper.Canonical(definition);
        }
        catch (IpamException e)
        {
            throw IpamGrainException.From(e);
        }
    }

    private static string Describe(PoolDefinition pool) =>
        $"{pool.Cidr} (/{pool.BlockPrefixLength} blocks, kind {(PoolKind)pool.Kind}, wiring {(PoolWiring)pool.Wiring})";

    private IPoolGrain Pool(string name) => GrainFactory.GetGrain<IPoolGrain>(name);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Pool {Pool} created with CIDR {Cidr}")]
    private partial void LogCreated(string pool, string cidr);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Pool {Pool} deleted")]
    private partial void LogDeleted(string pool);
}
