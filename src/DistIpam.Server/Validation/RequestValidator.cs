using System.Buffers;
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
            throw new RequestValidationException($"{field} '{value}' contains '{value[bad]}'; only letters, digits, '_', '.' and '-' are allowed");
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
            throw new RequestValidationException($"{field} '{value}' is longer than {MaxInterfaceLength} characters");
        }

        if (value is "." or ".." || value.Any(c => c is '/' or ':' or '|' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new RequestValidationException($"{field} '{value}' is not a valid interface name");
        }
    }
}
