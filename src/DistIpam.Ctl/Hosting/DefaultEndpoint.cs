namespace DistIpam.Ctl.Hosting;

/// <summary>
/// Where distipamctl connects when neither <c>--endpoint</c> nor <c>DISTIPAM_ENDPOINT</c> says: the
/// Unix socket of an embedded server started in this directory (its default data directory is
/// <c>./data</c>), else the packaged one's, else the default gRPC listen address.
/// </summary>
public static class DefaultEndpoint
{
    /// <summary>The environment variable naming endpoints (comma-separated).</summary>
    public const string Variable = "DISTIPAM_ENDPOINT";

    /// <summary>The default TCP endpoint.</summary>
    public const string Tcp = "127.0.0.1:50051";

    private static readonly string[] SocketCandidates = ["data/distipam.sock", "/run/distipam/distipam.sock", "/var/lib/distipam/distipam.sock"];

    /// <summary>The endpoints to use, in order.</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> given, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(environment);
        var explicitly = given.SelectMany(Split).ToList();
        if (explicitly.Count > 0)
        {
            return explicitly;
        }

        var fromEnvironment = Split(environment(Variable) ?? "").ToList();
        if (fromEnvironment.Count > 0)
        {
            return fromEnvironment;
        }

        var socket = SocketCandidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists);
        return socket is null ? [Tcp] : ["unix://" + socket];
    }

    private static IEnumerable<string> Split(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
