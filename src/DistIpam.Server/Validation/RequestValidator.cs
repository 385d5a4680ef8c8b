using System.Buffers;
using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Api.V1;
using DistIpam.Server.Errors;

namespace DistIpam.Server.Validation;

/// <summary>
/// Edge validation of identifiers, with messages that name the field and the value. Anything that
/// passes is safe to use in grain keys ('/' and '|' are separators there).
/// </summary>
public static class RequestValidator
{
    private const int MaxIdLength = 253;
    private const int MaxInterfaceLength = 15;

    // CNI spec: container ids and network names are alphanumerics plus '_', '.', '-'.
    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>Validates a handle; throws <see cref="RequestValidationException"/>.</summary>
    public static void Handle(Handle? handle)
    {
        if (handle is null)
        {
            throw new RequestValidationException("handle is required");
        }

        Identifier("handle.network", handle.Network);
        Identifier("handle.container_id", handle.ContainerId);
        InterfaceName("handle.interface", handle.Interface);
    }

    /// <summary>Validates a node name (a Kubernetes node name: DNS subdomain, up to 253).</summary>
    public static void Node(string field, string? node) => Identifier(field, node);

    /// <summary>A required identifier of the CNI character set, 1-253 characters.</summary>
    public static void Identifier(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new RequestValidationException($"{field} is required");
        }

        if (value.Length > MaxIdLength)
        {
            throw new RequestValidationException($"{field} is {value.Length} characters long; at most {MaxIdLength} are allowed");
        }

        var bad = value.AsSpan().IndexOfAnyExcept(IdChars);
        if (bad >= 0)
        {
            throw new RequestValidationException($"{field} {InputEcho.Quote(value)} contains {InputEcho.Quote(value[bad].ToString())}; only letters, digits, '_', '.' and '-' are allowed");
        }
    }

    /// <summary>A Linux interface name: 1-15 characters, no '/', whitespace or ':', not "." or "..".</summary>
    public static void InterfaceName(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new RequestValidationException($"{field} is required");
        }

        if (value.Length > MaxInterfaceLength)
        {
            throw new RequestValidationException($"{field} {InputEcho.Quote(value)} is longer than {MaxInterfaceLength} characters");
        }

        if (value is "." or ".." || value.Any(c => c is '/' or ':' or '|' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new RequestValidationException($"{field} {InputEcho.Quote(value)} is not a valid interface name");
        }
    }

    /// <summary>The most entries of a list of addresses or pools in one request (one per family is the rule).</summary>
    public const int MaxListEntries = 16;

    /// <summary>Refuses a list longer than <see cref="MaxListEntries"/> before any entry is parsed.</summary>
    public static void Entries(string field, int count)
    {
        if (count > MaxListEntries)
        {
            throw new RequestValidationException($"{field} has {count} entries; at most {MaxListEntries} are allowed");
        }
    }

    /// <summary>A bare address, parsed by Core's one strict parser (docs/security.md).</summary>
    public static IPAddress Address(string field, string? text) =>
        AddressParser.TryParseAddress(text, out var address, out var error)
            ? address
            : throw new RequestValidationException($"{field} {InputEcho.Quote(text)} {error}");

    /// <summary>An address with or without "/length" (CNI passes either); the length is checked, then dropped.</summary>
    public static IPAddress AddressOrPrefix(string field, string? text) =>
        AddressParser.TryParseAddressOrPrefix(text, out var address, out var error)
            ? address
            : throw new RequestValidationException($"{field} {InputEcho.Quote(text)} {error}");
}
