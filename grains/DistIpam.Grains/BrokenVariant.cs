namespace DistIpam.Grains;

/// <summary>
/// Deliberately broken behaviours, for tests only: the chaos suite enables one to prove that its
/// checker can fail (docs/architecture.md, "Group commit"). Never set outside such a test.
/// </summary>
public enum BrokenVariant
{
    /// <summary>Correct behaviour (the default).</summary>
    None = 0,

    /// <summary>
    /// A group commit answers its callers before the write that covers their change (the write
    /// still runs): an acknowledged change can be lost in a crash, breaking rule 1.
    /// </summary>
    AcknowledgeBeforeWrite = 1,
}
