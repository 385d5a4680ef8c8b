using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Output;

/// <summary>Prints a result as a table, or as the JSON / YAML of its proto message.</summary>
public sealed class Printer(CtlIo io, OutputFormat format)
{
    private static readonly JsonFormatter Indented = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());
    private static readonly JsonFormatter OneLine = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private IAnsiConsole? _console;

    /// <summary>The console tables go to.</summary>
    public IAnsiConsole Console => _console ??= io.CreateConsole();

    /// <summary>The JSON of a message (indented, default values included).</summary>
    public static string Json(IMessage message) => Indented.Format(message);

    /// <summary>Prints <paramref name="data"/> (json / yaml) or what <paramref name="table"/> renders.</summary>
    public void Print(IMessage data, Func<IRenderable> table)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(table);
        switch (format)
        {
            case OutputFormat.Json:
                io.Out.WriteLine(Json(data));
                break;
            case OutputFormat.Yaml:
                io.Out.Write(YamlWriter.FromJson(Json(data)));
                break;
            default:
                Console.Write(table());
                break;
        }
    }

    /// <summary>One line per event: JSON on one line (json), YAML documents (yaml), or <paramref name="line"/>.</summary>
    public void PrintEvent(IMessage data, Func<string> line)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(line);
        switch (format)
        {
            case OutputFormat.Json:
                io.Out.WriteLine(OneLine.Format(data));
                break;
            case OutputFormat.Yaml:
                io.Out.Write("---\n" + YamlWriter.FromJson(OneLine.Format(data)));
                break;
            default:
                io.Out.WriteLine(line());
                break;
        }

        io.Out.Flush();
    }

    /// <summary>
    /// Runs a long operation behind a spinner naming it (Spectre status; on a terminal with table
    /// output only, so scripts and json/yaml see nothing but the result).
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string what, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (format != OutputFormat.Table || !io.Interactive)
        {
            return await work();
        }

        return await Console.Status().Spinner(Spinner.Known.Dots).StartAsync(what, _ => work());
    }

    /// <summary>A plain message (table mode only; json/yaml print only data).</summary>
    public void Note(string text)
    {
        if (format == OutputFormat.Table)
        {
            io.Out.WriteLine(text);
        }
    }
}
