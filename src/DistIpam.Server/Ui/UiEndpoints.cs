using System.Reflection;
using DistIpam.Api.V1;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Server.History;
using DistIpam.Server.Metrics;
using DistIpam.Server.Nodes;
using DistIpam.Server.Services;
using Google.Protobuf;
using Grpc.Core;

namespace DistIpam.Server.Ui;

/// <summary>
/// The dashboard at <c>/ui</c> on the HTTP port: a page and its script shipped inside the server
/// (embedded resources, nothing from a CDN), reading JSON from <c>/ui/api/*</c>, which is the proto3
/// JSON of the same RPCs distipamctl calls (read-only).
/// </summary>
public static class UiEndpoints
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>Maps the page, its assets and the read-only API.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ui", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/ui/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/ui/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        app.MapGet("/ui/api/version", (IServiceProvider services) => CallAsync<ServerInfoService, ServerVersion>(services, s => s.GetVersion(new GetVersionRequest(), null!)));
        app.MapGet("/ui/api/forecast", (IServiceProvider services) => CallAsync<CapacityService, GetForecastResponse>(services, s => s.GetForecast(new GetForecastRequest(), null!)));
        app.MapGet("/ui/api/nodes", (IServiceProvider services) => CallAsync<NodesService, ListNodesResponse>(services, s => s.ListNodes(new ListNodesRequest(), null!)));
        app.MapGet("/ui/api/blocks", async (IServiceProvider services, PoolDirectory pools) =>
        {
            var all = new ListBlocksResponse();
            foreach (var pool in (await pools.AllAsync()).Keys.Order(StringComparer.Ordinal))
            {
                var service = ActivatorUtilities.CreateInstance<PoolsService>(services);
                all.Blocks.AddRange((await service.ListBlocks(new ListBlocksRequest { Pool = pool }, null!)).Blocks);
            }

            return Results.Text(Json.Format(all), "application/json");
        });
        app.MapGet("/ui/api/events", (HistoryRecorder history) =>
        {
            var response = new HistoryResponse();
            response.Events.AddRange(history.Recent.Select(HistoryMapper.EntryOf));
            return Results.Text(Json.Format(response), "application/json");
        });
        app.MapGet("/ui/api/ip/{address}", async (string address, IServiceProvider services) =>
        {
            var service = ActivatorUtilities.CreateInstance<AddressesService>(services);
            try
            {
                var now = await service.GetAddress(new GetAddressRequest { Address = address }, null!);
                var history = await service.GetAddressHistory(new GetAddressHistoryRequest { Address = address }, null!);
                return Results.Text($"{{\"address\":{Json.Format(now)},\"history\":{Json.Format(history)}}}", "application/json");
            }
            catch (Exception e) when (e is IpamGrainException or Errors.RequestValidationException or RpcException)
            {
                var notFound = e is IpamGrainException { Kind: IpamErrorKind.NotFound } or RpcException { StatusCode: StatusCode.NotFound };
                return Results.Text(e.Message, statusCode: notFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
            }
        });
    }

    // The services' read-only methods do not use their call context (none is there over HTTP).
    private static async Task<IResult> CallAsync<TService, TResponse>(IServiceProvider services, Func<TService, Task<TResponse>> call)
        where TResponse : IMessage =>
        Results.Text(Json.Format(await call(ActivatorUtilities.CreateInstance<TService>(services))), "application/json");

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"DistIpam.Server.Ui.wwwroot.{name}")
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}
