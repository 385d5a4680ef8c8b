using System.Globalization;

namespace DistIpam.Chaos.Tests.Checking;

/// <summary>One broken invariant (numbered as in docs/chaos.md and issue 11) with the evidence.</summary>
/// <param name="Invariant">1-7.</param>
/// <param name="What">What broke, naming the handles, addresses or services.</param>
/// <param name="Evidence">What was acknowledged and what was observed.</param>
internal sealed record Violation(int Invariant, string What, string Evidence)
{
    /// <summary>INTERNAL answers are violations by themselves (issue 11: INTERNAL is only for bugs); number 0.</summary>
    public const int InternalError = 0;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[invariant {Invariant}] {What}{(Evidence.Length > 0 ? "\n      evidence: " + Evidence : "")}");
}
