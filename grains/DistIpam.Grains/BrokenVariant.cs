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
    /// A group commit answers its callers before the write that covers their change, and writes
    /// behind the answer after <see cref="Persistence.WriteBatcher.BrokenWriteBehind"/> (a write-behind
    /// cache): an acknowledged change is lost in a crash within that window, breaking rule 1. The
    /// delay makes the defect one a kill finds every time, not only when it lands within a write.
    /// </summary>
    AcknowledgeBeforeWrite = 1,
}
