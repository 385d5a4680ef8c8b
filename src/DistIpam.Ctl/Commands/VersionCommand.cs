using System.CommandLine;
using System.Reflection;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Grpc.Core;

namespace DistIpam.Ctl.Commands;

/// <summary><c>version</c>: this client's and the server's versions (the client's even when no server answers).</summary>
public static class VersionCommand
{
    /// <summary>This build's version.</summary>
    public static string ClientVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The <c>version</c> command.</summary>
    public static Command Create(CommandAction run)
    {
        var version = new Command("version", "Client and server versions.");
        version.SetAction(run(async context =>
        {
            context.RequireFormatOnly();
            ServerVersion? server = null;
            string? failure = null;
            try
            {
                server = await new ServerInfo.ServerInfoClient(context.Client.CallInvoker(0)).GetVersionAsync(new GetVersionRequest(), cancellationToken: context.CancellationToken);
            }
            catch (RpcException e)
            {
                failure = e.Status.Detail;
            }

            var both = new Google.Protobuf.WellKnownTypes.Struct();
            both.Fields["client"] = Google.Protobuf.WellKnownTypes.Value.ForString(ClientVersion);
            both.Fields["server"] = server is null ? Google.Protobuf.WellKnownTypes.Value.ForNull() : Google.Protobuf.WellKnownTypes.Value.ForString(server.Version);
            both.Fields["mode"] = Google.Protobuf.WellKnownTypes.Value.ForString(server?.Mode ?? "");
            both.Fields["silos"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(server?.Silos ?? 0);
            context.Printer.Print(both, () => Tables.Fields(
                ("Client", ClientVersion),
                ("Server", server is null ? $"unreachable ({failure})" : server.Version),
                ("Mode", server?.Mode),
                ("Silos", server?.Silos.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            return server is null ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return version;
    }
}
