using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>gc run|status</c>.</summary>
public static class GcCommands
{
    /// <summary>The <c>gc</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var runNow = new Command("run", "One GC pass now: observe candidates, act on those seen twice and past the grace period.");
        runNow.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var status = await context.Printer.WithProgressAsync("Running a GC pass...", async () => await Gc(context).RunGcAsync(new RunGcRequest(), cancellationToken: context.CancellationToken));
            context.Printer.Print(status, () => Render(status));
            return status.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));

        var status = new Command("status", "The last GC pass: candidates, when they are due, totals.");
        status.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var found = await Gc(context).GetGcStatusAsync(new GetGcStatusRequest(), cancellationToken: context.CancellationToken);
            context.Printer.Print(found, () => Render(found));
            return ExitCodes.Ok;
        }));

        return new Command("gc", "Leak reclamation with a grace period.") { runNow, status };
    }

    private static Rows Render(GcStatus status)
    {
        var fields = Tables.Fields(
            ("Periodic", status.Enabled ? status.Scanning ? "on (this server scans)" : "on (another server scans)" : "off"),
            ("Last pass", status.LastRunUnixMs == 0 ? "never" : NodesCommands.Ago(status.LastRunUnixMs)),
            ("Grace", TimeSpan.FromMilliseconds(status.GraceMs).ToString("g", CultureInfo.InvariantCulture)),
            ("Expired nodes", status.AutoReleaseExpiredNodes ? "drained after the grace" : "reported only (drain with 'nodes drain')"),
            ("Released", $"{status.HandlesReleased} handle(s), {status.NodesDrained} node(s) drained ({status.AddressesReleased} address(es)), {status.ServiceValuesReleased} ClusterIP(s)/NodePort(s)"),
            ("Spared by re-check", status.Spared.ToString(CultureInfo.InvariantCulture)),
            ("Unrecorded addresses", $"{status.UnrecordedAddresses} (released by the reconciler)"));
        var candidates = Tables.Create("KIND", "KEY", "FIRST SEEN", "SEEN", "DUE", "ACTION");
        foreach (var candidate in status.Candidates)
        {
            candidates.Row(candidate.Kind, candidate.Key, NodesCommands.Time(candidate.FirstSeenUnixMs), candidate.Observations.ToString(CultureInfo.InvariantCulture) + "x", NodesCommands.Time(candidate.DueUnixMs), candidate.Action);
        }

        var errors = new Text(status.Errors.Count == 0 ? "" : "errors:\n  " + string.Join("\n  ", status.Errors) + "\n");
        return new Rows(fields, candidates, errors);
    }

    private static GarbageCollection.GarbageCollectionClient Gc(CtlContext context) => new(context.Client.CallInvoker(0));
}
