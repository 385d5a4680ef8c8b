namespace DistIpam.Chaos.Tests.Model;

/// <summary>What the model knows about a handle from acknowledged operations.</summary>
internal enum HandleStatus
{
    /// <summary>Never allocated.</summary>
    Untouched,

    /// <summary>An Allocate was acknowledged and nothing since may have released it: it must hold exactly its addresses.</summary>
    Held,

    /// <summary>A Release (or GC, drain) was acknowledged and nothing since may have allocated it: it must hold nothing.</summary>
    Released,

    /// <summary>An operation on it ended with an unknown outcome: it may hold addresses or not.</summary>
    Unknown,
}
