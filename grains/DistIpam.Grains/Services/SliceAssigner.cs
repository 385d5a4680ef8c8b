namespace DistIpam.Grains.Services;

/// <summary>
/// Places endpoints into slices with minimal churn (pure, on a copy of the state): an endpoint
/// stays in the slice that holds it; a new one goes to a slice this change already touches if it
/// has room, else to the first slice with room, else to a new slice; a slice left empty is deleted;
/// nothing is ever moved between slices to rebalance.
/// </summary>
internal static class SliceAssigner
{
    private static readonly int[] Families = [4, 6];

    /// <summary>Applies <paramref name="upserts"/> and <paramref name="removals"/> to <paramref name="state"/>.</summary>
    public static SliceChange Apply(ServiceState state, string service, IReadOnlyList<EndpointRecord> upserts, IReadOnlyList<string> removals, int maxPerSlice)
    {
        var touched = new List<SliceState>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        var before = state.Slices.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var endpoint in upserts)
        {
            state.Endpoints.TryGetValue(endpoint.Target, out var old);
            if (old is not null && old.SameAs(endpoint))
            {
                continue;
            }

            state.Endpoints[endpoint.Target] = endpoint;
            foreach (var family in Families)
            {
                var slice = state.Slices.FirstOrDefault(s => s.Family == family && s.Targets.Contains(endpoint.Target));
                var has = endpoint.Addresses.Any(a => ServicePlanner.FamilyOf(a) == family);
                if (slice is not null)
                {
                    if (!has)
                    {
                        slice.Targets.Remove(endpoint.Target);
                        Touch(touched, slice);
                    }
                    else if (old is null || !Project(old, family).SameAs(Project(endpoint, family)))
                    {
                        Touch(touched, slice);
                    }
                }
                else if (has)
                {
                    slice = touched.FirstOrDefault(s => s.Family == family && s.Targets.Count < maxPerSlice)
                        ?? state.Slices.FirstOrDefault(s => s.Family == family && s.Targets.Count < maxPerSlice);
                    if (slice is null)
                    {
                        slice = new SliceState { Name = $"{service}-v{family}-{state.NextSliceNumber++}", Family = family };
                        state.Slices.Add(slice);
                        created.Add(slice.Name);
                    }

                    slice.Targets.Add(endpoint.Target);
                    Touch(touched, slice);
                }
            }
        }

        foreach (var target in removals)
        {
            if (!state.Endpoints.Remove(target))
            {
                continue;
            }

            foreach (var slice in state.Slices.Where(s => s.Targets.Remove(target)))
            {
                Touch(touched, slice);
            }
        }

        var deleted = state.Slices.Where(s => s.Targets.Count == 0 && before.Contains(s.Name)).Select(s => s.Name).ToList();
        state.Slices.RemoveAll(s => s.Targets.Count == 0);
        var alive = touched.Where(s => s.Targets.Count > 0).ToList();
        return new SliceChange(
            [.. alive.Where(s => created.Contains(s.Name)).Select(s => s.Name)],
            [.. alive.Where(s => !created.Contains(s.Name)).Select(s => s.Name)],
            deleted);
    }

    /// <summary>The endpoint with only the addresses of <paramref name="family"/>.</summary>
    public static EndpointRecord Project(EndpointRecord endpoint, int family) =>
        endpoint with { Addresses = [.. endpoint.Addresses.Where(a => ServicePlanner.FamilyOf(a) == family)] };

    private static void Touch(List<SliceState> touched, SliceState slice)
    {
        if (!touched.Contains(slice))
        {
            touched.Add(slice);
        }
    }
}
