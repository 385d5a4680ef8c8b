using System.Globalization;
using System.Text;

namespace DistIpam.Core.Addressing;

/// <summary>
/// How a refused value is echoed in an error message: a short prefix with control characters
/// escaped, so a hostile request cannot fill logs or forge log lines (docs/security.md, "Limits").
/// </summary>
public static class InputEcho
{
    /// <summary>The most characters of a value an error message repeats.</summary>
    public const int MaxEchoLength = 64;

    /// <summary>The value quoted for a message: <c>'10.0.0.1'</c>, or <c>'aaaa…' (70000 characters)</c>.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxEchoLength) + 24);
        builder.Append('\'');
        var shown = Math.Min(value.Length, MaxEchoLength);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append(value.Length > MaxEchoLength ? "…'" : "'");
        if (value.Length > MaxEchoLength)
        {
            builder.Append(" (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return builder.ToString();
    }
}
