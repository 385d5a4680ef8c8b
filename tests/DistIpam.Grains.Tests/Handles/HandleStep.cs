namespace DistIpam.Grains.Tests.Handles;

/// <summary>One step of a generated run: ADD (or DEL) of handle h{Handle} on node n{Node}.</summary>
public sealed record HandleStep(int Handle, int Node, bool Release)
{
    public override string ToString() => $"{(Release ? "DEL" : "ADD")} h{Handle}@n{Node}";
}
