namespace DistIpam.Core.Errors;

/// <summary>A CIDR or address text that cannot be parsed or is not a valid network prefix.</summary>
public sealed class InvalidCidrException(string text, string reason)
    : IpamException($"invalid CIDR '{text}': {reason}")
{
    /// <summary>The text as given.</summary>
    public string Text { get; } = text;

    /// <summary>Why it was refused (host bits set, bad prefix length, ...).</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public override IpamErrorKind Kind => IpamErrorKind.InvalidArgument;
}
