using System.CommandLine;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Commands;

/// <summary>Every top-level command.</summary>
public static class CommandTree
{
    /// <summary>The commands, each running its body through <paramref name="run"/>.</summary>
    public static IEnumerable<Command> Build(CommandAction run) =>
    [
        PoolsCommands.Create(run),
        BlocksCommand.Create(run),
        UsageCommand.Create(run),
        CheckCommand.Create(run),
        ReleaseCommand.Create(run),
        ServicesCommands.Create(run),
        EndpointsCommand.Create(run),
        WatchCommand.Create(run),
        NodesCommands.Create(run),
        IpCommands.Create(run),
        HandleCommands.Create(run),
        GcCommands.Create(run),
        VersionCommand.Create(run),
        CompletionCommand.Create(),
    ];
}
