using System.Text.RegularExpressions;
using DistIpam.Cni.Tests.Fuzz;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>
/// Hostile values that are invalid for one field by construction: each generator filters out what
/// the field's documented rule (proto comments, docs/) would accept, so a success is a defect.
/// </summary>
public static partial class HostileFields
{
    /// <summary>Not an identifier (1-253 of [A-Za-z0-9_.-]): network, container id, node, endpoint target.</summary>
    public static Gen<string> Identifier() => HostileValues.Text().Where(t => !IdentifierRule().IsMatch(t));

    /// <summary>Not a Linux interface name.</summary>
    public static Gen<string> Interface() => HostileValues.Text().Where(t =>
        t.Length is 0 or > 15 || t is "." or ".." || t.Any(c => c is '/' or ':' or '|' || char.IsWhiteSpace(c) || char.IsControl(c)));

    /// <summary>Not a DNS-1123 label (pool names, service namespaces and names).</summary>
    public static Gen<string> Label() => HostileValues.Text().Where(t => t.Length > 63 || !LabelRule().IsMatch(t));

    /// <summary>Not an address in netip's form.</summary>
    public static Gen<string> Address() => Gen.Elements(HostileValues.NonCanonicalAddresses.Where(a => !CniOracle.IsNetipForm(a)).ToArray());

    /// <summary>Not a pool CIDR: every non-canonical text, and networks with host bits set.</summary>
    public static Gen<string> Cidr() => Gen.Frequency(
        (3, Address()),
        (1, Gen.Elements("10.0.0.1/24", "fd00::1/64", "10.0.0.0", "0.0.0.0/-0", "10.0.0.0/ 8")));

    /// <summary>A block prefix length no IPv4 pool accepts (0 means the default, so it is left out).</summary>
    public static Gen<int> V4BlockLength() => Gen.Elements(int.MinValue, -1, 1, 19, 33, 64, 128, 129, int.MaxValue);

    /// <summary>A port outside 1-65535.</summary>
    public static Gen<int> Port() => Gen.Elements(int.MinValue, -1, 0, 65536, 100_000, int.MaxValue);

    /// <summary>An enum value the proto does not define.</summary>
    public static Gen<int> UndefinedEnum() => Gen.Elements(-1, 7, 99, int.MaxValue, int.MinValue);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,253}$")]
    private static partial Regex IdentifierRule();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelRule();
}
