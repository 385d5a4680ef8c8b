namespace DistIpam.Core.Errors;

/// <summary>
/// No free address (or block, or port) is left in a pool, block or range. <see cref="Scope"/>
/// names what is full: a pool name, a block CIDR or a range.
/// </summary>
public sealed class PoolExhaustedException(string scope, UInt128 size)
    : IpamException($"no free address left in '{scope}' (size {size})")
{
    /// <summary>The pool name, block CIDR or range that is full.</summary>
    public string Scope { get; } = scope;

    /// <summary>How many values the scope holds in total.</summary>
    public UInt128 Size { get; } = size;

    /// <inheritdoc />
    public override IpamErrorKind Kind => IpamErrorKind.Exhausted;
}
