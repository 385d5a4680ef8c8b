namespace DistIpam.Core.Errors;

/// <summary>A specifically requested address or port is already held by another holder.</summary>
public sealed class AddressTakenException(string address, string holder)
    : IpamException($"address {address} is already allocated to '{holder}'")
{
    /// <summary>The requested address (or port) as text.</summary>
    public string Address { get; } = address;

    /// <summary>The handle (or service) that holds it.</summary>
    public string Holder { get; } = holder;

    /// <inheritdoc />
    public override IpamErrorKind Kind => IpamErrorKind.AlreadyExists;
}
