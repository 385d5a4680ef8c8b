using DistIpam.Api.V1;

namespace DistIpam.Ctl.Commands;

/// <summary>
/// What several consistency reports agree on (calicoctl's rule: releasing only what every report
/// names, and what is still reported now, means a leak seen once in passing is never released).
/// Duplicates are never part of it: they need a person, not a release; nor are borrowed addresses,
/// which are not leaks.
/// </summary>
public static class ReportOverlap
{
    /// <summary>The findings every report in <paramref name="reports"/> names.</summary>
    public static ConsistencyReport Of(IReadOnlyList<ConsistencyReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var result = new ConsistencyReport();
        if (reports.Count == 0)
        {
            return result;
        }

        var orphanKeys = Common(reports, r => r.OrphanedAddresses.Select(Key));
        result.OrphanedAddresses.AddRange(reports[0].OrphanedAddresses.Where(o => orphanKeys.Contains(Key(o))).DistinctBy(Key));
        var handles = Common(reports, r => r.HandlesWithoutAddresses);
        result.HandlesWithoutAddresses.AddRange(reports[0].HandlesWithoutAddresses.Where(handles.Contains).Distinct(StringComparer.Ordinal));
        var claims = Common(reports, r => r.PendingClaims);
        result.PendingClaims.AddRange(reports[0].PendingClaims.Where(claims.Contains).Distinct(StringComparer.Ordinal));
        var values = Common(reports, r => r.LeakedServiceValues.Select(Key));
        result.LeakedServiceValues.AddRange(reports[0].LeakedServiceValues.Where(v => values.Contains(Key(v))).DistinctBy(Key));
        var expired = Common(reports, r => r.ExpiredNodes);
        result.ExpiredNodes.AddRange(reports[0].ExpiredNodes.Where(expired.Contains).Distinct(StringComparer.Ordinal));
        return result;
    }

    /// <summary>How many findings a report names (duplicates included, borrowed addresses not: they are no inconsistency).</summary>
    public static int Count(ConsistencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.OrphanedAddresses.Count + report.HandlesWithoutAddresses.Count + report.PendingClaims.Count + report.Duplicates.Count + report.ExpiredNodes.Count + report.LeakedServiceValues.Count;
    }

    /// <summary>The identity of an orphan: an address is the same leak only under the same sequence and handle.</summary>
    public static string Key(LeakedAddress orphan)
    {
        ArgumentNullException.ThrowIfNull(orphan);
        return $"{orphan.Pool}|{orphan.Block}|{orphan.Address}|{orphan.Sequence}|{orphan.Handle}";
    }

    /// <summary>The identity of a leaked ClusterIP or NodePort: the same value under the same holder.</summary>
    public static string Key(LeakedServiceValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"{value.Kind}|{value.Range}|{value.Value}|{value.Holder}";
    }

    private static HashSet<string> Common(IReadOnlyList<ConsistencyReport> reports, Func<ConsistencyReport, IEnumerable<string>> keys)
    {
        var common = keys(reports[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var report in reports.Skip(1))
        {
            common.IntersectWith(keys(report));
        }

        return common;
    }
}
