using System.CommandLine;
using System.Security.Cryptography;
using DistIpam.Ctl.Commands;
using Grpc.Core;

namespace DistIpam.Ctl.Hosting;

/// <summary>
/// Builds the command tree and runs one command line. Exit codes (<see cref="ExitCodes"/>): 0 done,
/// 1 the server failed or was unreachable, or a file could not be read or written, 2 bad usage
/// (with the parser's or the server's message, or the client configuration refused), 3 not found.
/// Every failure is one line on standard error, never a stack trace.
/// </summary>
public static class CtlApp
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CtlIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var options = new GlobalOptions();
        var root = new RootCommand("distipamctl: operate a DistIpam cluster (pools, blocks, addresses, nodes, leaks, services).");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        CommandAction run = body => (parse, cancellationToken) => RunCommandAsync(parse, options, io, body, cancellationToken);
        foreach (var command in CommandTree.Build(run))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await io.Error.WriteLineAsync($"distipamctl: {error.Message}");
            }

            await io.Error.WriteLineAsync($"Run 'distipamctl {string.Join(' ', parse.CommandResult.Command.Name == root.Name ? [] : CommandPath(parse))} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false });
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }

    private static async Task<int> RunCommandAsync(ParseResult parse, GlobalOptions options, CtlIo io, Func<CtlContext, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            using var context = new CtlContext(parse, options, io, cancellationToken);
            return await body(context);
        }
        catch (UsageException e)
        {
            return await FailAsync(io, ExitCodes.Usage, e.Message);
        }
        catch (NotFoundException e)
        {
            return await FailAsync(io, ExitCodes.NotFound, e.Message);
        }
        catch (FormatException e)
        {
            return await FailAsync(io, ExitCodes.Usage, e.Message);
        }
        catch (RpcException e)
        {
            var code = e.StatusCode switch
            {
                StatusCode.NotFound => ExitCodes.NotFound,
                StatusCode.InvalidArgument => ExitCodes.Usage,
                _ => ExitCodes.Failure,
            };
            return await FailAsync(io, code, DistIpam.Client.RpcStatusText.Describe(e.Status));
        }
        catch (IOException e)
        {
            return await FailAsync(io, ExitCodes.Failure, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            // A file the command writes or reads (check -o report.json, --from-report) is not
            // accessible; the message names the path.
            return await FailAsync(io, ExitCodes.Failure, e.Message);
        }
        catch (CryptographicException e)
        {
            // TLS material the client could not use after it was created (CtlContext reports the
            // files it loads itself): a configuration error, like a bad option.
            return await FailAsync(io, ExitCodes.Usage, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Last resort: an operator's script gets exit 1 and one line (with the exception's type,
            // for a bug report), not a stack trace and the runtime's crash code.
            return await FailAsync(io, ExitCodes.Failure, $"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<int> FailAsync(CtlIo io, int code, string message)
    {
        await io.Error.WriteLineAsync($"distipamctl: {message}");
        return code;
    }
}
