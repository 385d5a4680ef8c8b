using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>endpoints &lt;namespace/service&gt;</c>: the service's endpoints, slice by slice.</summary>
public static class EndpointsCommand
{
    /// <summary>The <c>endpoints</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var name = new Argument<string>("service") { Description = "namespace/name." };
        var endpoints = new Command("endpoints", "A service's endpoints with their conditions.") { name };
        endpoints.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var (space, service) = ServiceName.Parse(context.Parse.GetValue(name)!);
            var response = await context.Client.Services.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = space, Service = service }, cancellationToken: context.CancellationToken);
            if (response.Slices.Count == 0)
            {
                // An empty list is also what a missing service gives; tell the two apart.
                await context.Client.Services.GetServiceAsync(new GetServiceRequest { Namespace = space, Name = service }, cancellationToken: context.CancellationToken);
            }

            context.Printer.Print(response, () => SlicesTable(response.Slices));
            return ExitCodes.Ok;
        }));
        return endpoints;
    }

    /// <summary>One row per endpoint.</summary>
    public static Table SlicesTable(IEnumerable<EndpointSlice> slices)
    {
        var table = Tables.Create("SLICE", "FAMILY", "TARGET", "ADDRESSES", "PORTS", "READY", "SERVING", "TERMINATING", "NODE", "ZONE");
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints)
            {
                var conditions = endpoint.Conditions ?? new EndpointConditions();
                table.Row(
                    slice.Name,
                    Names.Family(slice.Family),
                    endpoint.Target,
                    string.Join(",", endpoint.Addresses),
                    string.Join(",", endpoint.Ports.Select(p => $"{p.Name}:{p.Port.ToString(CultureInfo.InvariantCulture)}/{ServicesCommands.ProtocolOf(p.Protocol)}")),
                    Names.YesNo(!conditions.HasReady || conditions.Ready),
                    Names.YesNo(!conditions.HasServing || conditions.Serving),
                    Names.YesNo(conditions.HasTerminating && conditions.Terminating),
                    endpoint.NodeName,
                    endpoint.Zone);
            }
        }

        return table;
    }
}
