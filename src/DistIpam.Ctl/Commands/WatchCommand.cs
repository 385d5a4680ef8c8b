using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using Grpc.Core;

namespace DistIpam.Ctl.Commands;

/// <summary>
/// <c>watch [--from V]</c>: service and endpoint changes as they happen. A broken stream is resumed
/// from the last version received, on the next endpoint; OUT_OF_RANGE (the version is older than the
/// server keeps) ends the command: relist and watch from the list's version.
/// </summary>
public static class WatchCommand
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>The <c>watch</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var from = new Option<long?>("--from") { Description = "Resume after this version (default: changes from now on)." };
        var initial = new Option<bool>("--initial") { Description = "First every current object, then changes." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace." };
        var service = new Option<string?>("--service") { Description = "Only this service (namespace/name) and its slices." };
        var count = new Option<int?>("--count") { Description = "Stop after this many events (bookmarks not counted)." };
        var watch = new Command("watch", "Stream service and endpoint changes (one line per event; -o json gives one JSON object per line).") { from, initial, ns, service, count };
        watch.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var request = new WatchRequest { SendInitialEvents = context.Parse.GetValue(initial), Namespace = context.Parse.GetValue(ns) ?? "" };
            if (context.Parse.GetValue(from) is { } version)
            {
                request.FromVersion = version;
            }

            if (context.Parse.GetValue(service) is { } named)
            {
                (request.Namespace, request.Service) = ServiceName.Parse(named);
            }

            await WatchAsync(context, request, context.Parse.GetValue(count));
            return ExitCodes.Ok;
        }));
        return watch;
    }

    private static async Task WatchAsync(CtlContext context, WatchRequest request, int? limit)
    {
        var seen = 0;
        for (var endpoint = 0; ; endpoint++)
        {
            var services = new Services.ServicesClient(context.Client.CallInvoker(endpoint));
            try
            {
                using var stream = services.Watch(request, cancellationToken: context.CancellationToken);
                while (await stream.ResponseStream.MoveNext(context.CancellationToken))
                {
                    var change = stream.ResponseStream.Current;
                    request.FromVersion = change.Version;
                    request.SendInitialEvents = false;
                    context.Printer.PrintEvent(change, () => Line(change));
                    if (change.Type is not WatchEvent.Types.Type.Bookmark && ++seen >= limit)
                    {
                        return;
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.ResourceExhausted && !context.CancellationToken.IsCancellationRequested)
            {
                await context.Io.Error.WriteLineAsync($"distipamctl: watch broke ({e.Status.Detail}); resuming from version {(request.HasFromVersion ? request.FromVersion.ToString(CultureInfo.InvariantCulture) : "now")}");
                await Task.Delay(ReconnectDelay, context.CancellationToken);
            }
        }
    }

    private static string Line(WatchEvent change)
    {
        var version = change.Version.ToString(CultureInfo.InvariantCulture);
        return change.ObjectCase switch
        {
            WatchEvent.ObjectOneofCase.Service => $"{version}\t{change.Type}\tservice\t{change.Service.Namespace}/{change.Service.Name}\t{string.Join(",", change.Service.ClusterIps)}",
            WatchEvent.ObjectOneofCase.Slice => $"{version}\t{change.Type}\tslice\t{change.Slice.Namespace}/{change.Slice.Name}\t{change.Slice.Endpoints.Count} endpoint(s)",
            _ => $"{version}\t{change.Type}",
        };
    }
}
