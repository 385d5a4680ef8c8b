using System.Reflection;

namespace DistIpam.Testing;

/// <summary>Where the repository and the server build are, seen from a test assembly.</summary>
public static class RepositoryLayout
{
    /// <summary>Environment variable that points at a server dll to run instead of the repository build.</summary>
    public const string ServerDllVariable = "DISTIPAM_SERVER_DLL";

    private const string SolutionFile = "DistIpam.sln";

    /// <summary>The build configuration this assembly was built in (the server is built in the same one).</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "DistIpamConfiguration")?.Value ?? "Debug";

    /// <summary>The directory holding DistIpam.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    /// <summary>The server assembly to run with <c>dotnet</c>.</summary>
    public static string ServerDll
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(ServerDllVariable);
            var path = string.IsNullOrEmpty(overridden)
                ? Path.Combine(Root, "src", "DistIpam.Server", "bin", Configuration, "net10.0", "distipam-server.dll")
                : Path.GetFullPath(overridden);
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(
                    $"the server build {path} does not exist; build src/DistIpam.Server in {Configuration} "
                    + $"(the test projects do so through their project reference) or set {ServerDllVariable}",
                    path);
        }
    }

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no {SolutionFile} in {start} or any directory above it");
    }
}
