using Spectre.Console;

namespace DistIpam.Ctl.Hosting;

/// <summary>Where a run of distipamctl reads its environment and writes its output (tests give their own).</summary>
public sealed class CtlIo
{
    /// <summary>The process's console and environment.</summary>
    public static CtlIo System { get; } = new()
    {
        Out = Console.Out,
        Error = Console.Error,
        GetEnvironment = Environment.GetEnvironmentVariable,
        Interactive = !Console.IsOutputRedirected,
    };

    /// <summary>Standard output: results only.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: messages and failures.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable.</summary>
    public required Func<string, string?> GetEnvironment { get; init; }

    /// <summary>Whether output is a terminal (colours, progress).</summary>
    public bool Interactive { get; init; }

    /// <summary>Width of tables when output is not a terminal. Default 160.</summary>
    public int Width { get; init; } = 160;

    /// <summary>A Spectre console over <see cref="Out"/>.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!Interactive)
        {
            console.Profile.Width = Width;
        }

        return console;
    }
}
