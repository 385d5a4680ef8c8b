using System.Text.Json.Nodes;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Cni.Tests.Netns;

/// <summary>
/// One node and two pods, all in namespaces of the suite: the "node" namespace runs the reference
/// plugins (so bridges, veths, routes and forwarding never touch the real host), and a CNI_PATH
/// folder holds links to /usr/lib/cni/* and to the AOT distipam. Everything is removed on dispose.
/// </summary>
public sealed class NetnsLab : IAsyncDisposable
{
    /// <summary>Where Debian's containernetworking-plugins puts the reference plugins.</summary>
    public const string ReferencePlugins = "/usr/lib/cni";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(20);
    private readonly List<NetworkNamespace> _namespaces = [];

    private NetnsLab(string tag, string cniPath)
    {
        Tag = tag;
        CniPath = cniPath;
    }

    /// <summary>A short unique tag (also used in the bridge name).</summary>
    public string Tag { get; }

    /// <summary>The CNI_PATH folder.</summary>
    public string CniPath { get; }

    /// <summary>The node namespace.</summary>
    public NetworkNamespace Node => _namespaces[0];

    /// <summary>Pod A.</summary>
    public NetworkNamespace PodA => _namespaces[1];

    /// <summary>Pod B.</summary>
    public NetworkNamespace PodB => _namespaces[2];

    /// <summary>
    /// Builds the lab. Fails (never skips) when not root or when a reference plugin is missing:
    /// tests/run.sh installs containernetworking-plugins.
    /// </summary>
    public static async Task<NetnsLab> CreateAsync(string pluginPath, params string[] requiredPlugins)
    {
        ArgumentNullException.ThrowIfNull(requiredPlugins);
        Assert.True(Environment.UserName == "root", "the network namespace tests must run as root (ip netns)");
        foreach (var plugin in requiredPlugins)
        {
            Assert.True(
                File.Exists(Path.Combine(ReferencePlugins, plugin)),
                $"{ReferencePlugins}/{plugin} is missing: install Debian's containernetworking-plugins (tests/run.sh does)");
        }

        await NetworkNamespace.SweepStaleAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var cniPath = Directory.CreateTempSubdirectory("distipam-cni-path-").FullName;
        foreach (var file in Directory.EnumerateFiles(ReferencePlugins))
        {
            File.CreateSymbolicLink(Path.Combine(cniPath, Path.GetFileName(file)), file);
        }

        File.CreateSymbolicLink(Path.Combine(cniPath, "distipam"), pluginPath);
        var lab = new NetnsLab(tag, cniPath);
        try
        {
            foreach (var role in new[] { "node", "a", "b" })
            {
                lab._namespaces.Add(await NetworkNamespace.CreateAsync($"{tag}-{role}"));
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a reference plugin in the node namespace for <paramref name="pod"/>, as a runtime would.</summary>
    public Task<ProcessOutcome> RunPluginAsync(string plugin, string command, JsonNode config, NetworkNamespace pod, string containerId, string ifName = "eth0")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pod);
        var environment = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = CniPath,
        };
        return Node.ExecAsync([Path.Combine(CniPath, plugin)], environment, config.ToJsonString());
    }

    /// <summary>Pings <paramref name="address"/> from <paramref name="from"/> until one echo returns (bounded poll).</summary>
    public static async Task PingAsync(NetworkNamespace from, string address)
    {
        ArgumentNullException.ThrowIfNull(from);
        var family = address.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        await Poll.UntilAsync(
            async () =>
            {
                var outcome = await from.ExecAsync("ping", family, "-c", "1", "-W", "1", address);
                return outcome.ExitCode == 0 ? null : outcome.Describe();
            },
            PingTimeout,
            $"a ping reply from {address} in {from.Name}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Deleting the namespaces removes the bridge, veths and routes inside them.
        foreach (var ns in _namespaces)
        {
            await ns.DisposeAsync();
        }

        Directory.Delete(CniPath, recursive: true);
    }
}
