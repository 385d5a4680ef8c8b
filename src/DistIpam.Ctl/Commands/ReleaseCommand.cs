using System.CommandLine;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary>
/// <c>release --handle H</c> (every address of one attachment) or <c>release --from-report R...</c>
/// (only what every report names and a fresh check still finds, released by address and sequence).
/// </summary>
public static class ReleaseCommand
{
    /// <summary>The <c>release</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var handle = new Option<string?>("--handle") { Description = "Release every address of this handle (network/container-id/interface)." };
        var node = new Option<string?>("--node") { Description = "With --handle: the pod's node, to sweep its blocks when the handle has no record." };
        var reports = new Option<string[]>("--from-report") { Description = "Release what these check reports all name and a fresh check still finds.", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --from-report: show what would be released, change nothing." };
        var ip = new Option<string?>("--ip") { Description = "Release the handle holding this address (all its addresses), or the address alone if no handle record holds it." };
        var sequence = new Option<ulong?>("--sequence") { Description = "With --ip: only if the address is still held under this sequence (from 'ip show')." };
        var reason = new Option<string?>("--reason") { Description = "With --ip: why (kept in the IP history)." };
        var release = new Command("release", "Release a handle's addresses, an address's handle, or the leaks of check reports.") { handle, node, ip, sequence, reason, reports, dryRun };
        release.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var handleText = context.Parse.GetValue(handle);
            var address = context.Parse.GetValue(ip);
            var files = context.Parse.GetValue(reports) ?? [];
            if ((handleText is null ? 0 : 1) + (address is null ? 0 : 1) + (files.Length == 0 ? 0 : 1) != 1)
            {
                throw new UsageException("give exactly one of --handle, --ip or --from-report");
            }

            if (context.Parse.GetValue(sequence) is not null && address is null)
            {
                throw new UsageException("--sequence goes with --ip");
            }

            if (address is not null)
            {
                return await ReleaseAddressAsync(context, address, context.Parse.GetValue(sequence), context.Parse.GetValue(reason));
            }

            return handleText is not null
                ? await ReleaseHandleAsync(context, HandleText.Parse(handleText), context.Parse.GetValue(node))
                : await ReleaseFromReportsAsync(context, files, context.Parse.GetValue(dryRun));
        }));
        return release;
    }

    private static async Task<int> ReleaseHandleAsync(CtlContext context, Handle handle, string? node)
    {
        var response = await context.Client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = node ?? "" }, cancellationToken: context.CancellationToken);
        context.Printer.Print(response, () => new Text(response.Released.Count == 0
            ? $"handle {HandleText.Format(handle)} held nothing\n"
            : $"released {string.Join(", ", response.Released)} of handle {HandleText.Format(handle)}\n"));
        return ExitCodes.Ok;
    }

    private static async Task<int> ReleaseAddressAsync(CtlContext context, string address, ulong? sequence, string? reason)
    {
        var request = new ReleaseAddressRequest { Address = address, Reason = reason ?? "" };
        if (sequence is { } expected)
        {
            request.Sequence = expected;
        }

        var response = await new Addresses.AddressesClient(context.Client.CallInvoker(0)).ReleaseAddressAsync(request, cancellationToken: context.CancellationToken);
        context.Printer.Print(response, () => new Text($"released {string.Join(", ", response.Released)} of handle {response.Handle}\n"));
        return ExitCodes.Ok;
    }

    private static async Task<int> ReleaseFromReportsAsync(CtlContext context, string[] files, bool dryRun)
    {
        var loaded = new List<ConsistencyReport>();
        foreach (var file in files)
        {
            loaded.Add(await ReadReportAsync(file, context.CancellationToken));
        }

        var agreed = ReportOverlap.Of(loaded);
        // Age 0: the reports found these already, so they are old enough; what matters is whether they still are leaks.
        var now = await context.Printer.WithProgressAsync("Checking what is still leaked...", async () => await context.Client.Pools.CheckConsistencyAsync(new CheckConsistencyRequest { MinAgeMs = 0 }, cancellationToken: context.CancellationToken));
        var still = ReportOverlap.Of([agreed, now]);
        var skipped = ReportOverlap.Count(agreed) - ReportOverlap.Count(still);
        if (dryRun)
        {
            context.Printer.Print(still, () => new Rows(CheckCommand.Render(still, null), new Text($"dry run: {ReportOverlap.Count(still)} finding(s) would be repaired; {skipped} of the reports' common findings are gone already\n")));
            return ExitCodes.Ok;
        }

        var addresses = still.Clone();
        addresses.ExpiredNodes.Clear();
        var response = ReportOverlap.Count(addresses) == 0
            ? new ReleaseFromReportResponse()
            : await context.Printer.WithProgressAsync("Repairing...", async () => await context.Client.Pools.ReleaseFromReportAsync(new ReleaseFromReportRequest { Report = addresses }, cancellationToken: context.CancellationToken));
        var drainedNodes = 0;
        foreach (var node in still.ExpiredNodes)
        {
            // Every report and the check just made found its lease expired: drain it (the one drain
            // path), unless it heartbeat since (the server refuses then, and nothing of it is released).
            try
            {
                var drained = await context.Printer.WithProgressAsync($"Draining node {node}...", async () => await context.Client.Nodes.DrainNodeAsync(new DrainNodeRequest { Node = node, Reason = "release --from-report: lease expired", RefuseIfAlive = true }, cancellationToken: context.CancellationToken));
                response.AddressesReleased += drained.AddressesReleased;
                drainedNodes++;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                skipped++;
                response.Errors.Add(e.Status.Detail);
            }
        }

        context.Printer.Print(response, () => new Text(
            $"released {response.AddressesReleased} address(es), repaired {response.ClaimsRepaired} claim(s), drained {drainedNodes} expired node(s), freed {response.ServiceValuesReleased} ClusterIP(s)/NodePort(s); skipped {skipped} finding(s) no longer leaked" +
            (response.Errors.Count == 0 ? "\n" : $"; errors:\n  {string.Join("\n  ", response.Errors)}\n")));
        return response.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<ConsistencyReport> ReadReportAsync(string file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read report {file}: {e.Message}");
        }

        try
        {
            return JsonParser.Default.Parse<ConsistencyReport>(text);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UsageException($"{file} is not a check report (JSON of 'distipamctl check -o FILE'): {e.Message}");
        }
    }
}
