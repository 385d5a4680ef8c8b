namespace DistIpam.Grains.Tests.Handles;

/// <summary>A generated run of ADD and DEL steps over a few handles and nodes.</summary>
public sealed record HandleScript(IReadOnlyList<HandleStep> Steps)
{
    /// <summary>Handles in a run: h0..h7.</summary>
    public const int Handles = 8;

    /// <summary>Nodes in a run: n0..n2.</summary>
    public const int Nodes = 3;

    /// <summary>
    /// Consecutive steps on distinct handles, run concurrently: the order between handles is free,
    /// the order of one handle's steps is kept, so the expected outcome stays well defined.
    /// </summary>
    public IEnumerable<IReadOnlyList<HandleStep>> Batches()
    {
        var batch = new List<HandleStep>();
        foreach (var step in Steps)
        {
            if (batch.Exists(s => s.Handle == step.Handle))
            {
                yield return batch;
                batch = [];
            }

            batch.Add(step);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    public override string ToString() => string.Join(", ", Steps);
}
