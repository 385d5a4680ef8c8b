using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>
/// Generators of the values a hostile or broken caller sends (shared by the CNI and gRPC fuzz
/// suites): control characters, huge and odd Unicode strings, addresses in every form the strict
/// parser refuses, and extreme numbers.
/// </summary>
public static class HostileValues
{
    /// <summary>Address and CIDR texts that Go's netip refuses (each must be refused at every edge).</summary>
    public static readonly string[] NonCanonicalAddresses =
    [
        "10.244.010.5", "010.244.0.5", "10.244.0.05", "10.1", "10", "1.2.3", "1.2.3.4.5", "1.2.3.256", "0x0a.0.0.1",
        "10.0.0.1 ", " 10.0.0.1", "10.0.0.1\n", "10.0.0.1%eth0", "fe80::1%eth0", "[fd00::1]", "[fd00::1]:80",
        "10.0.0.1:80", "fd00::00001", "1::2::3", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "::ffff:01.2.3.4", "１.２.３.４",
        "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/08", "10.0.0.1/", "10.0.0.1/abc", "fd00::/129", "/24", "10.0.0.0/8/8",
        "10.0.0.1\u0000", "10.0.0.1;IP=1.2.3.4", "::1.2.3", "1.2.3.4::", "",
    ];

    private static readonly string[] Controls = ["\u0000", "\n", "\r\n", "\t", "\u001b[31m", "\u0085", "\u2028", "\u007f"];

    /// <summary>Strings of every hostile shape, weighted towards the short and odd.</summary>
    public static Gen<string> Text() => Gen.Frequency(
        (4, Gen.Elements(NonCanonicalAddresses)),
        (3, Gen.Elements("", " ", "a/b", "a|b", "..", ".", "-", "x".PadRight(254, 'x'), "eth0123456789012", "ñ", "日本", "\uD800", "\uDFFF", "\u200B", "%00", "../../etc/passwd")),
        (3, from control in Gen.Elements(Controls) from prefix in Gen.Elements("node", "10.0.0.1", "eth0", "") select prefix + control),
        (2, from length in Gen.Elements(255, 1024, 70_000) from c in Gen.Elements('a', '9', '.', ':', '\u00e9') select new string(c, length)),
        (2, from chars in Gen.ArrayOf(Gen.Choose(0, 0x2FFF).Select(i => (char)i)) select new string(chars)));

    /// <summary>Integers at and past every edge a field has.</summary>
    public static Gen<int> Number() => Gen.Frequency(
        (3, Gen.Elements(int.MinValue, -1, 0, 1, 19, 20, 27, 32, 33, 115, 116, 128, 129, 255, 256, 65535, 65536, int.MaxValue)),
        (1, Gen.Choose(int.MinValue / 2, int.MaxValue / 2)));
}
