using System.CommandLine;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary><c>services list|show</c>.</summary>
public static class ServicesCommands
{
    /// <summary>The <c>services</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace." };
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector, e.g. app=web,tier!=db." };
        var list = new Command("list", "Services with their ClusterIPs and ports.") { ns, selector };
        list.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var response = await context.Client.Services.ListServicesAsync(new ListServicesRequest { Namespace = context.Parse.GetValue(ns) ?? "", LabelSelector = context.Parse.GetValue(selector) ?? "" }, cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () =>
            {
                var table = Tables.Create("NAMESPACE", "NAME", "TYPE", "CLUSTER-IPS", "PORTS", "VERSION");
                foreach (var service in response.Services)
                {
                    table.Row(service.Namespace, service.Name, TypeOf(service.Type), string.Join(",", service.ClusterIps), Ports(service), service.Version.ToString(CultureInfo.InvariantCulture));
                }

                return table;
            });
            return ExitCodes.Ok;
        }));

        var name = new Argument<string>("service") { Description = "namespace/name." };
        var show = new Command("show", "One service with its endpoint slices.") { name };
        show.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            var (space, service) = ServiceName.Parse(context.Parse.GetValue(name)!);
            var response = await context.Client.Services.GetServiceAsync(new GetServiceRequest { Namespace = space, Name = service }, cancellationToken: context.CancellationToken);
            context.Printer.Print(response, () => Show(response));
            return ExitCodes.Ok;
        }));

        return new Command("services", "Services (ClusterIPs, NodePorts, endpoints).") { list, show };
    }

    /// <summary>The ports as "80/TCP:30080" items.</summary>
    public static string Ports(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return string.Join(",", service.Ports.Select(p => $"{p.Port.ToString(CultureInfo.InvariantCulture)}/{ProtocolOf(p.Protocol)}" + (p.NodePort == 0 ? "" : ":" + p.NodePort.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>The protocol's name.</summary>
    public static string ProtocolOf(Protocol protocol) => protocol switch
    {
        Protocol.Udp => "UDP",
        Protocol.Sctp => "SCTP",
        _ => "TCP",
    };

    private static string TypeOf(ServiceType type) => type switch
    {
        ServiceType.NodePort => "NodePort",
        ServiceType.Headless => "Headless",
        _ => "ClusterIP",
    };

    private static Rows Show(GetServiceResponse response)
    {
        var service = response.Service;
        var fields = Tables.Fields(
            ("Name", $"{service.Namespace}/{service.Name}"),
            ("Type", TypeOf(service.Type)),
            ("Families", string.Join(",", service.IpFamilies.Select(Names.Family))),
            ("ClusterIPs", string.Join(", ", service.ClusterIps)),
            ("Pools", string.Join(", ", service.Pools)),
            ("Ports", Ports(service)),
            ("Labels", string.Join(",", service.Labels.Select(l => $"{l.Key}={l.Value}"))),
            ("Version", service.Version.ToString(CultureInfo.InvariantCulture)));
        return new Rows(fields, EndpointsCommand.SlicesTable(response.Slices));
    }
}
