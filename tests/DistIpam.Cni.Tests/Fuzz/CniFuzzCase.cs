using System.Text;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>One hostile invocation: the environment, stdin's bytes, and the address texts it asks the plugin to accept.</summary>
/// <param name="Environment">CNI_* variables (a missing one is absent).</param>
/// <param name="Stdin">The bytes on stdin.</param>
/// <param name="Addresses">Address or CIDR texts in address fields, when stdin was not mangled byte-wise.</param>
/// <param name="Description">What was mutated, for the failure report.</param>
public sealed record CniFuzzCase(IReadOnlyDictionary<string, string> Environment, byte[] Stdin, IReadOnlyList<string> Addresses, string Description)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var stdin = Encoding.UTF8.GetString(Stdin);
        return $"{Description}; env [{string.Join("; ", Environment.Select(e => $"{e.Key}={Short(e.Value)}"))}]; stdin {Short(stdin)}";
    }

    private static string Short(string text) =>
        (text.Length > 300 ? text[..300] + $"…({text.Length} chars)" : text).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}
