using System.Globalization;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Netns;

/// <summary>
/// A Linux network namespace made by the suite (<c>ip netns add</c>), deleted on dispose. Names carry
/// the test process id so that namespaces left by a killed run can be recognised and swept.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    /// <summary>Every namespace of the suite starts with this.</summary>
    public const string Prefix = "dcni-";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace name.</summary>
    public string Name { get; }

    /// <summary>The path a runtime passes as CNI_NETNS.</summary>
    public string Path => $"/var/run/netns/{Name}";

    /// <summary>
    /// Creates a namespace with loopback up and IPv6 duplicate address detection off (addresses are
    /// usable at once, so pings need no wait for DAD).
    /// </summary>
    public static async Task<NetworkNamespace> CreateAsync(string tag)
    {
        var name = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{tag}";
        Require(await RunAsync("ip", "netns", "add", name), $"ip netns add {name}");
        var created = new NetworkNamespace(name);
        try
        {
            Require(await created.ExecAsync("ip", "link", "set", "lo", "up"), "ip link set lo up");
            // /proc/sys/net is per namespace; plain sh avoids depending on procps' sysctl.
            Require(
                await created.ExecAsync("sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad && echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad && echo 0 > /proc/sys/net/ipv6/conf/all/disable_ipv6"),
                "disabling IPv6 DAD");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deletes namespaces of earlier runs whose process is gone (a killed run cannot clean up).</summary>
    public static async Task SweepStaleAsync()
    {
        var list = await RunAsync("ip", "netns", "list");
        foreach (var line in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var pid = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id.ToString(CultureInfo.InvariantCulture)}"))
            {
                await RunAsync("ip", "netns", "delete", name);
            }
        }
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<ProcessOutcome> ExecAsync(params string[] command) => RunAsync("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Runs a command inside the namespace with an environment and stdin (a CNI plugin).</summary>
    public Task<ProcessOutcome> ExecAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environment, string? stdin) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Name, .. command], environment, stdin, CommandTimeout);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await RunAsync("ip", "netns", "delete", Name);

    /// <summary>Throws with the command's output unless it exited 0.</summary>
    public static void Require(ProcessOutcome outcome, string what)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed; {outcome.Describe()}");
        }
    }

    private static Task<ProcessOutcome> RunAsync(string fileName, params string[] arguments) =>
        ProcessRunner.RunAsync(fileName, arguments, NoEnvironment, null, CommandTimeout);
}
