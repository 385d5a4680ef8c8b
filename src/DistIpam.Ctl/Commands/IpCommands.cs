using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>ip show|history</c>.</summary>
public static class IpCommands
{
    /// <summary>The <c>ip</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var showAddress = new Argument<string>("address") { Description = "An IPv4 or IPv6 address." };
        var show = new Command("show", "Who holds an address now: pool, block, node, handle, pod, since when, sequence.") { showAddress };
        show.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var info = await Addresses(context).GetAddressAsync(new GetAddressRequest { Address = context.Parse.GetValue(showAddress) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(info, () => Fields(info));
            return ExitCodes.Ok;
        }));

        var historyAddress = new Argument<string>("address") { Description = "An IPv4 or IPv6 address." };
        var at = new Option<string?>("--at") { Description = "Only who held it at this time (ISO 8601, UTC unless an offset is given), e.g. 2026-11-24T14:05." };
        var history = new Command("history", "Every recorded allocation and release of an address.") { historyAddress, at };
        history.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var address = context.Parse.GetValue(historyAddress)!;
            var response = await Addresses(context).GetAddressHistoryAsync(new GetAddressHistoryRequest { Address = address }, cancellationToken: context.CancellationToken);
            if (context.Parse.GetValue(at) is { } text)
            {
                var when = HistoryView.ParseTime(text);
                var holder = HistoryView.HolderAt(response.Events, when);
                var only = new HistoryResponse();
                if (holder is not null)
                {
                    only.Events.Add(holder);
                }

                context.Printer.Print(only, () => holder is null
                    ? new Text($"nobody held {address} at {NodesCommands.Time(when)} (as far as the history, kept for its retention, records)\n")
                    : new Rows(new Text($"{address} at {NodesCommands.Time(when)} was held by:\n"), HistoryView.Table([holder])));
                return holder is null ? ExitCodes.NotFound : ExitCodes.Ok;
            }

            context.Printer.Print(response, () => HistoryView.Table(response.Events));
            return ExitCodes.Ok;
        }));

        return new Command("ip", "One address: now and in the past.") { show, history };
    }

    /// <summary>An address's fields.</summary>
    public static Table Fields(AddressInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Tables.Fields(
            ("Address", info.Address),
            ("Pool", info.Pool),
            ("Block", info.Block),
            ("Block owner", info.BlockOwner.Length == 0 ? "(not claimed)" : info.BlockOwner),
            ("State", !info.Allocated ? "free" : info.RecordedByHandle ? "allocated" : "allocated, but no handle record holds it (leak?)"),
            ("Handle", info.Handle),
            ("Node", info.Node),
            ("Pod", HistoryView.Pod(info.Pod)),
            ("Since", NodesCommands.Time(info.SinceUnixMs)),
            ("Sequence", info.Allocated ? info.Sequence.ToString(CultureInfo.InvariantCulture) : ""));
    }

    private static Addresses.AddressesClient Addresses(CtlContext context) => new(context.Client.CallInvoker(0));
}
