using System.CommandLine;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DistIpam.Ctl.Commands;

/// <summary>
/// <c>check [--pool P] [-o report.json | --report FILE]</c>: the server's consistency report (leaked
/// addresses, leaked ClusterIPs and NodePorts, handles without addresses, pending claims, duplicates,
/// expired nodes, and borrowed addresses for information). Read-only. The report file is
/// what <c>release --from-report</c> reads.
/// </summary>
public static class CheckCommand
{
    /// <summary>The <c>check</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var pool = new Option<string?>("--pool") { Description = "Only this pool." };
        var report = new Option<string?>("--report") { Description = "Also write the JSON report to this file (as does -o FILE)." };
        var minAge = new Option<double?>("--min-age") { Description = "Seconds an allocation must be old to count as leaked (default: the server's, 120)." };
        var check = new Command("check", "Find leaked addresses, ClusterIPs and NodePorts, handles without addresses, stale pending claims, duplicates and borrowed addresses (read-only).") { pool, report, minAge };
        check.SetAction(run(async context =>
        {
            var request = new CheckConsistencyRequest { Pool = context.Parse.GetValue(pool) ?? "" };
            if (context.Parse.GetValue(minAge) is { } seconds)
            {
                request.MinAgeMs = (long)(seconds * 1000);
            }

            var found = await context.Printer.WithProgressAsync("Checking every block, handle and claim...", async () => await context.Client.Pools.CheckConsistencyAsync(request, cancellationToken: context.CancellationToken));
            var file = context.Parse.GetValue(report) ?? context.OutputFile;
            if (file is not null)
            {
                await File.WriteAllTextAsync(file, Printer.Json(found) + "\n", context.CancellationToken);
            }

            context.Printer.Print(found, () => Render(found, file));
            return ExitCodes.Ok;
        }));
        return check;
    }

    /// <summary>The report as tables, one per kind of finding.</summary>
    public static IRenderable Render(ConsistencyReport report, string? file)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<IRenderable>();
        if (ReportOverlap.Count(report) == 0)
        {
            rows.Add(new Text("No inconsistencies found.\n"));
        }

        if (report.OrphanedAddresses.Count > 0)
        {
            var table = Tables.Create("POOL", "BLOCK", "ADDRESS", "SEQUENCE", "HANDLE", "REASON");
            table.Title = new TableTitle($"Leaked addresses ({report.OrphanedAddresses.Count})");
            foreach (var orphan in report.OrphanedAddresses)
            {
                table.Row(orphan.Pool, orphan.Block, orphan.Address, orphan.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), orphan.Handle, orphan.Reason);
            }

            rows.Add(table);
        }

        if (report.LeakedServiceValues.Count > 0)
        {
            var table = Tables.Create("KIND", "RANGE", "VALUE", "SERVICE", "REASON");
            table.Title = new TableTitle($"Leaked ClusterIPs and NodePorts ({report.LeakedServiceValues.Count})");
            foreach (var value in report.LeakedServiceValues)
            {
                table.Row(value.Kind, value.Range, value.Value, value.Holder, value.Reason);
            }

            rows.Add(table);
        }

        AddList(rows, "Handles without addresses", report.HandlesWithoutAddresses);
        AddList(rows, "Pending block claims", report.PendingClaims);
        AddList(rows, "Duplicates (need a person)", report.Duplicates);
        AddList(rows, "Nodes with an expired lease (release --from-report drains them)", report.ExpiredNodes);
        if (report.BorrowedAddresses.Count > 0)
        {
            var table = Tables.Create("POOL", "BLOCK", "ADDRESS", "BLOCK OWNER", "NODE", "HANDLE");
            table.Title = new TableTitle($"Borrowed addresses ({report.BorrowedAddresses.Count}, not leaks)");
            foreach (var borrowed in report.BorrowedAddresses)
            {
                table.Row(borrowed.Pool, borrowed.Block, borrowed.Address, borrowed.BlockOwner, borrowed.Node, borrowed.Handle);
            }

            rows.Add(table);
        }

        if (file is not null)
        {
            rows.Add(new Text($"Report written to {file}\n"));
        }

        return new Rows(rows);
    }

    private static void AddList(List<IRenderable> rows, string title, Google.Protobuf.Collections.RepeatedField<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var table = Tables.Create(title.ToUpperInvariant());
        foreach (var item in items)
        {
            table.Row(item);
        }

        rows.Add(table);
    }
}
