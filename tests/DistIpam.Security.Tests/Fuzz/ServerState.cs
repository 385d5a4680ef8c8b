using DistIpam.Api.V1;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>Everything a refused request must leave as it was: pools, usage, services, slices, and a clean consistency report.</summary>
public static class ServerState
{
    /// <summary>The state as text (compared before and after a run).</summary>
    public static async Task<string> CaptureAsync(GrpcClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var pools = await clients.Pools.ListPoolsAsync(new ListPoolsRequest());
        var usage = await clients.Pools.GetUsageAsync(new GetUsageRequest());
        var services = await clients.Services.ListServicesAsync(new ListServicesRequest());
        var slices = await clients.Services.ListEndpointSlicesAsync(new ListEndpointSlicesRequest());
        var blocks = new List<string>();
        foreach (var pool in pools.Pools)
        {
            blocks.Add((await clients.Pools.ListBlocksAsync(new ListBlocksRequest { Pool = pool.Name })).ToString());
        }

        return string.Join("\n", pools.ToString(), usage.ToString(), services.ToString(), slices.ToString(), string.Join("\n", blocks));
    }

    /// <summary>Null when the consistency report is clean, else the report.</summary>
    public static async Task<string?> InconsistencyAsync(GrpcClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var report = await clients.Pools.CheckConsistencyAsync(new CheckConsistencyRequest());
        return report.OrphanedAddresses.Count + report.HandlesWithoutAddresses.Count + report.PendingClaims.Count + report.Duplicates.Count == 0
            ? null
            : report.ToString();
    }
}
