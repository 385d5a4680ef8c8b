using DistIpam.Core.Addressing;
using System.Buffers;

namespace DistIpam.Cni.Configuration;

/// <summary>The CNI identifier rule (network names, node names): letters, digits, '_', '.', '-'; 1-253 characters.</summary>
internal static class Identifier
{
    /// <summary>The longest identifier the server accepts.</summary>
    public const int MaxLength = 253;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>Why <paramref name="value"/> is not a valid identifier, or null when it is.</summary>
    public static string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"is {value.Length} characters long; at most {MaxLength} are allowed";
        }

        var bad = value.AsSpan().IndexOfAnyExcept(Allowed);
        return bad >= 0 ? $"contains {InputEcho.Quote(value[bad].ToString())}; only letters, digits, '_', '.' and '-' are allowed" : null;
    }
}
