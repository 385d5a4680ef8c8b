using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace DistIpam.Ctl.Tests.Client;

/// <summary>
/// <c>dotnet pack src/DistIpam.Client</c> makes one package a C# user needs: the client, the generated
/// API types inside it (DistIpam.Api is not a package of its own), and the API's package dependencies.
/// Packs the build these tests were built with (<c>--no-build</c>: a few seconds).
/// </summary>
public sealed class ClientPackageTests : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(2);
    private readonly string _output = Directory.CreateTempSubdirectory("distipam-pack-").FullName;

    [Fact]
    public async Task Pack_Client_CarriesGeneratedApiTypesAndNamesTheirDependencies()
    {
        var package = await PackAsync();

        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/DistIpam.Client.dll", entries);
        Assert.Contains("lib/net10.0/DistIpam.Api.dll", entries);
        Assert.Contains("lib/net10.0/DistIpam.Api.xml", entries);

        var types = TypeNames(zip.GetEntry("lib/net10.0/DistIpam.Api.dll")!);
        Assert.Contains("DistIpam.Api.V1.AllocateRequest", types);
        Assert.Contains("DistIpam.Api.V1.Ipam/IpamClient", types);
        Assert.Contains("DistIpam.Api.V1.Nodes/NodesClient", types);

        var dependencies = Dependencies(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)));
        Assert.Contains("Grpc.Net.Client", dependencies);
        Assert.Contains("Google.Protobuf", dependencies);
        Assert.Contains("Grpc.Core.Api", dependencies);
        Assert.DoesNotContain("DistIpam.Api", dependencies);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_output, recursive: true);

    private async Task<string> PackAsync()
    {
        var project = Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Client", "DistIpam.Client.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "pack", project, "-c", RepositoryLayout.Configuration, "--no-build", "-o", _output, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // The test host's MSBuild settings must not leak into the nested pack.
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(PackTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet pack failed with exit {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return Assert.Single(Directory.GetFiles(_output, "DistIpam.Client.*.nupkg"));
    }

    private static HashSet<string> TypeNames(ZipArchiveEntry assembly)
    {
        using var copy = new MemoryStream();
        using (var stream = assembly.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        var metadata = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            var name = metadata.GetString(type.Name);
            var declaring = type.GetDeclaringType();
            names.Add(declaring.IsNil
                ? $"{metadata.GetString(type.Namespace)}.{name}"
                : $"{metadata.GetString(metadata.GetTypeDefinition(declaring).Namespace)}.{metadata.GetString(metadata.GetTypeDefinition(declaring).Name)}/{name}");
        }

        return names;
    }

    private static HashSet<string> Dependencies(ZipArchiveEntry nuspec)
    {
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return [.. document.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!)];
    }
}
