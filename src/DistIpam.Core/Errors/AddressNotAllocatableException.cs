namespace DistIpam.Core.Errors;

/// <summary>
/// A requested address (or port) that can never be handed out from <see cref="Range"/>: outside
/// it, its network or broadcast address, reserved, or the gateway.
/// </summary>
public sealed class AddressNotAllocatableException(string address, string range, string reason)
    : IpamException($"address {address} cannot be allocated from {range}: {reason}")
{
    /// <summary>The requested address as text.</summary>
    public string Address { get; } = address;

    /// <summary>The range (block or pool CIDR) it was requested from.</summary>
    public string Range { get; } = range;

    /// <summary>Why (outside, network address, broadcast address, reserved, gateway).</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public override IpamErrorKind Kind => IpamErrorKind.InvalidArgument;
}
