using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>
/// What every CNI fuzz case must end in: exit 0 only for VERSION; otherwise exit 1 with one
/// spec-shaped error object whose code is one docs/cni.md lists (never 999, "internal"), a short
/// message, and no address text accepted that Go's netip would refuse (checked by a reference
/// written independently of Core's parser).
/// </summary>
public static partial class CniOracle
{
    /// <summary>The codes docs/cni.md documents.</summary>
    public static readonly int[] DocumentedCodes = [1, 4, 6, 7, 11, 50, 100, 101, 102, 103, 104, 105, 106];

    private const int MaxErrorBytes = 8 * 1024;

    /// <summary>Null when the outcome is allowed, else why not.</summary>
    public static string? Violation(CniFuzzCase fuzzCase, int exitCode, string stdout, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(fuzzCase);
        ArgumentNullException.ThrowIfNull(stdout);
        if (elapsed > TimeSpan.FromSeconds(5))
        {
            return $"took {elapsed.TotalSeconds:0.0} s";
        }

        var command = fuzzCase.Environment.GetValueOrDefault("CNI_COMMAND");
        if (exitCode == 0)
        {
            return command == "VERSION" ? null : $"exit 0 for {command} against a dead endpoint: {Short(stdout)}";
        }

        if (exitCode != 1)
        {
            return $"exit code {exitCode}";
        }

        if (stdout.Length > MaxErrorBytes)
        {
            return $"the error is {stdout.Length} bytes long (the input was echoed)";
        }

        int code;
        try
        {
            using var json = JsonDocument.Parse(stdout);
            var root = json.RootElement;
            code = root.GetProperty("code").GetInt32();
            if (root.GetProperty("msg").ValueKind != JsonValueKind.String || root.GetProperty("cniVersion").ValueKind != JsonValueKind.String)
            {
                return $"not a spec-shaped error: {Short(stdout)}";
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"stdout is not a CNI error object ({e.GetType().Name}): {Short(stdout)}";
        }

        if (!DocumentedCodes.Contains(code))
        {
            return $"code {code} is not documented: {Short(stdout)}";
        }

        // Code 11 here means every check passed and the call reached the (dead) endpoint.
        if (code == 11 && fuzzCase.Addresses.FirstOrDefault(a => !IsNetipForm(a)) is { } accepted)
        {
            return $"accepted the address text '{Short(accepted)}', which netip refuses";
        }

        var cniArgs = fuzzCase.Environment.GetValueOrDefault("CNI_ARGS") ?? "";
        if (code == 11 && command == "ADD" && cniArgs.StartsWith("IP=", StringComparison.Ordinal) && !cniArgs.Contains(';', StringComparison.Ordinal)
            && cniArgs[3..].Split(',').FirstOrDefault(a => !IsNetipForm(a.Trim())) is { } arg)
        {
            return $"accepted CNI_ARGS IP '{Short(arg)}', which netip refuses";
        }

        return null;
    }

    /// <summary>An independent reference: netip's address or prefix forms, without zones.</summary>
    public static bool IsNetipForm(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        int bits;
        if (Ipv4().IsMatch(address))
        {
            bits = 32;
        }
        else if (address.Contains(':', StringComparison.Ordinal) && Ipv6Characters().IsMatch(address) && IPAddress.TryParse(address, out var parsed)
            && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.Split(':').All(g => g.Length <= 4 || Ipv4().IsMatch(g))
            && (!address.Contains('.', StringComparison.Ordinal) || Ipv4().IsMatch(address[(address.LastIndexOf(':') + 1)..])))
        {
            bits = 128;
        }
        else
        {
            return false;
        }

        var length = slash < 0 ? "0" : text[(slash + 1)..];
        return Decimal().IsMatch(length) && int.Parse(length, CultureInfo.InvariantCulture) <= bits;
    }

    private static string Short(string text) => text.Length > 400 ? text[..400] + "…" : text;

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^[0-9a-fA-F:.]+$")]
    private static partial Regex Ipv6Characters();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})$")]
    private static partial Regex Decimal();
}
