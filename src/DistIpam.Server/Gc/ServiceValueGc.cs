using DistIpam.Api.V1;
using DistIpam.Server.Services;

namespace DistIpam.Server.Gc;

/// <summary>
/// The GC's ClusterIP and NodePort candidates: values a range holds for a service whose durable
/// state does not hold them (<see cref="ServiceValueChecker"/>). Acting is the range grain's
/// <c>ReleaseUnheldAsync</c>, which asks the service once more and frees in the same turn as the
/// answer, unless anything was handed to that service since the question, so a service created
/// (or re-created under the same name) while the GC runs keeps its values.
/// </summary>
public sealed class ServiceValueGc(ServiceValueChecker checker)
{
    /// <summary>What a pass sees now.</summary>
    public async Task<IEnumerable<GcCandidateState>> ObserveAsync(long nowUnixMs)
    {
        var report = new ConsistencyReport();
        await checker.AddFindingsAsync(report, null);
        return report.LeakedServiceValues.Select(v => new GcCandidateState(
            v.Kind == ServiceValueChecker.ClusterIpKind ? GcCandidateState.ClusterIpKind : GcCandidateState.NodePortKind,
            $"{v.Range} {v.Value} (service {v.Holder})",
            nowUnixMs,
            1,
            0) { Value = v });
    }

    /// <summary>Frees the candidate's value if its service, asked again, still does not hold it; false when spared.</summary>
    public async Task<bool> ActAsync(GcCandidateState candidate, GcPassResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(result);
        var response = new ReleaseFromReportResponse();
        await checker.RepairAsync([candidate.Value ?? throw new InvalidOperationException($"candidate {candidate.Id} has no value")], response);
        if (response.Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", response.Errors));
        }

        result.ServiceValuesReleased += response.ServiceValuesReleased;
        return response.ServiceValuesReleased > 0;
    }
}
