using DistIpam.Core.Addressing;
using System.Text.RegularExpressions;
using DistIpam.Server.Errors;

namespace DistIpam.Server.Services;

/// <summary>
/// A Kubernetes equality-based label selector: comma-separated "key", "!key", "key=value",
/// "key==value", "key!=value" (true when absent), all of which must hold. Empty matches everything.
/// </summary>
public sealed partial class ServiceLabelSelector
{
    private readonly List<(string Key, string Op, string Value)> _requirements;

    private ServiceLabelSelector(List<(string Key, string Op, string Value)> requirements) => _requirements = requirements;

    /// <summary>Matches everything.</summary>
    public static ServiceLabelSelector Everything { get; } = new([]);

    /// <summary>Parses <paramref name="text"/>; INVALID_ARGUMENT naming <paramref name="field"/> when malformed.</summary>
    public static ServiceLabelSelector Parse(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<(string, string, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var match = Requirement().Match(part);
            if (!match.Success)
            {
                throw new RequestValidationException($"{field}: {InputEcho.Quote(part)} is not a requirement (key, !key, key=value, key==value or key!=value)");
            }

            var op = match.Groups["not"].Success ? "!" : match.Groups["op"].Success ? (match.Groups["op"].Value == "!=" ? "!=" : "=") : "exists";
            requirements.Add((match.Groups["key"].Value, op, match.Groups["value"].Value));
        }

        return new ServiceLabelSelector(requirements);
    }

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, op, value) in _requirements)
        {
            var present = labels.TryGetValue(key, out var actual);
            var holds = op switch
            {
                "exists" => present,
                "!" => !present,
                "=" => present && actual == value,
                _ => !present || actual != value,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^(?:(?<not>!)\s*(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)|(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?:(?<op>==|=|!=)\s*(?<value>[A-Za-z0-9_.-]*))?)$")]
    private static partial Regex Requirement();
}
