using DistIpam.Core.Addressing;
using DistIpam.Cni.Commands;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Diagnostics;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Invocation;
using DistIpam.Cni.Json;

namespace DistIpam.Cni;

/// <summary>
/// The verb dispatcher. Checks run in the reference skeleton's order: the environment (4), stdin
/// as JSON (6), the version (1), the configuration (7); then the verb talks to the server. Results
/// and errors go to stdout as JSON; everything else goes to stderr.
/// </summary>
internal sealed class CniPlugin
{
    private readonly Func<string, string?> _variables;
    private readonly Func<ReadOnlyMemory<byte>> _readStdin;
    private readonly Stream _stdout;
    private readonly TextWriter _log;
    private readonly Func<string> _hostName;

    /// <summary>Creates a dispatcher over the given process streams (injected for tests).</summary>
    public CniPlugin(Func<string, string?> variables, Func<ReadOnlyMemory<byte>> readStdin, Stream stdout, TextWriter log, Func<string> hostName)
    {
        _variables = variables;
        _readStdin = readStdin;
        _stdout = stdout;
        _log = log;
        _hostName = hostName;
    }

    /// <summary>Runs one invocation and returns the exit code (0, or 1 after printing an error).</summary>
    public async Task<int> RunAsync()
    {
        var errorVersion = CniVersions.Latest;
        string? command = null;
        try
        {
            var environment = CniEnvironment.Read(_variables);
            command = environment.Command
                ?? throw CniException.InvalidEnvironment("CNI_COMMAND is required (ADD, DEL, CHECK, GC, STATUS or VERSION)");
            if (command == "VERSION")
            {
                CniJsonWriter.WriteLine(_stdout, new VersionDocument { CniVersion = CniVersions.Latest, SupportedVersions = CniVersions.Supported }, CniJsonWriter.Write);
                return 0;
            }

            RequireEnvironment(command, environment);
            using var json = ConfigurationReader.Parse(_readStdin());
            var version = ConfigurationReader.ReadVersion(json.RootElement);
            if (CniVersions.IsSupported(version))
            {
                errorVersion = version!;
            }

            RequireVersion(command, version);
            var document = ConfigurationReader.Bind(json.RootElement);
            var invocation = new CniInvocation
            {
                Environment = environment,
                Document = document,
                Configuration = ConfigurationValidator.Validate(version!, document, environment.NodeName, _hostName),
                Log = _log,
            };
            StageClock.Mark(Stage.Parsed);

            switch (command)
            {
                case "ADD":
                    CniJsonWriter.WriteLine(_stdout, await AddCommand.RunAsync(invocation).ConfigureAwait(false), CniJsonWriter.Write);
                    StageClock.Mark(Stage.Written);
                    break;
                case "DEL":
                    await DelCommand.RunAsync(invocation).ConfigureAwait(false);
                    break;
                case "CHECK":
                    await CheckCommand.RunAsync(invocation).ConfigureAwait(false);
                    break;
                case "GC":
                    await GcCommand.RunAsync(invocation).ConfigureAwait(false);
                    break;
                default:
                    await StatusCommand.RunAsync(invocation).ConfigureAwait(false);
                    break;
            }

            return 0;
        }
        catch (CniException e)
        {
            return Fail(errorVersion, command, e.Code, e.Message, e.Details);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not an answer: still a well-formed CNI error, with the stack on stderr.
            _log.WriteLine($"distipam: unexpected failure: {e}");
            return Fail(errorVersion, command, CniErrorCode.Internal, $"internal error: {e.Message}", e.GetType().FullName);
        }
        finally
        {
            StageClock.Report(_log);
        }
    }

    private static void RequireEnvironment(string command, CniEnvironment environment)
    {
        switch (command)
        {
            case "ADD" or "CHECK":
                environment.RequireContainerId();
                environment.RequireNetns();
                environment.RequireIfName();
                break;
            case "DEL":
                environment.RequireContainerId();
                environment.RequireIfName();
                break;
            case "GC" or "STATUS":
                break;
            default:
                throw CniException.InvalidEnvironment($"CNI_COMMAND {InputEcho.Quote(command)} is unknown; expected ADD, DEL, CHECK, GC, STATUS or VERSION");
        }
    }

    private static void RequireVersion(string command, string? version)
    {
        if (version is null)
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"cniVersion is missing (which means 0.1.0); distipam supports {string.Join(", ", CniVersions.Supported)}");
        }

        if (!CniVersions.IsSupported(version))
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"cniVersion {InputEcho.Quote(version)} is not supported; distipam supports {string.Join(", ", CniVersions.Supported)}");
        }

        var minimum = command switch
        {
            "CHECK" => CniVersions.CheckMinimum,
            "GC" or "STATUS" => CniVersions.GcMinimum,
            _ => null,
        };
        if (minimum is not null && !CniVersions.IsAtLeast(version, minimum))
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"cniVersion {InputEcho.Quote(version)} does not allow {command}; it needs {minimum} or newer");
        }
    }

    private int Fail(string cniVersion, string? command, int code, string message, string? details)
    {
        // The command is the caller's text too: a known verb as is, anything else as a short escaped prefix.
        var shown = command is null ? "(no command)" : command.Length <= 7 && command.All(char.IsAsciiLetterUpper) ? command : InputEcho.Quote(command);
        _log.WriteLine($"distipam: {shown} failed with code {code}: {message}{(details is null ? "" : $" ({details})")}");
        CniJsonWriter.WriteLine(_stdout, new ErrorDocument { CniVersion = cniVersion, Code = code, Msg = message, Details = details }, CniJsonWriter.Write);
        return 1;
    }
}
