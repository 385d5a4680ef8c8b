using System.CommandLine;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DistIpam.Ctl.Commands;

/// <summary><c>handle show|history</c>.</summary>
public static class HandleCommands
{
    /// <summary>The <c>handle</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var showHandle = new Argument<string>("handle") { Description = "network/container-id/interface." };
        var show = new Command("show", "What a handle holds now.") { showHandle };
        show.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var info = await Addresses(context).GetHandleAsync(new GetHandleRequest { Handle = HandleText.Parse(context.Parse.GetValue(showHandle)!) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(info, () => info.Addresses.Count == 0
                ? new Text($"handle {info.Handle} holds nothing now (see 'handle history')\n")
                : new Rows(info.Addresses.Select(a => (IRenderable)IpCommands.Fields(a))));
            return ExitCodes.Ok;
        }));

        var historyHandle = new Argument<string>("handle") { Description = "network/container-id/interface." };
        var history = new Command("history", "Every recorded allocation and release of a handle.") { historyHandle };
        history.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var response = await Addresses(context).GetHandleHistoryAsync(new GetHandleHistoryRequest { Handle = HandleText.Parse(context.Parse.GetValue(historyHandle)!) }, cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () => HistoryView.Table(response.Events));
            return response.Events.Count == 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        }));

        return new Command("handle", "One attachment (network/container-id/interface): now and in the past.") { show, history };
    }

    private static Addresses.AddressesClient Addresses(CtlContext context) => new(context.Client.CallInvoker(0));
}
