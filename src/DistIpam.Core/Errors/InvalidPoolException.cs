namespace DistIpam.Core.Errors;

/// <summary>A pool definition that fails validation; names the pool, the field and its value.</summary>
public sealed class InvalidPoolException(string pool, string field, string value, string reason)
    : IpamException($"pool '{pool}': invalid {field} '{value}': {reason}")
{
    /// <summary>The pool name.</summary>
    public string Pool { get; } = pool;

    /// <summary>The offending field (cidr, blockPrefixLength, reservedRanges, ...).</summary>
    public string Field { get; } = field;

    /// <summary>The offending value as text.</summary>
    public string Value { get; } = value;

    /// <summary>Why it was refused.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public override IpamErrorKind Kind => IpamErrorKind.InvalidArgument;
}
