using System.CommandLine;

namespace DistIpam.Ctl.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: a script that asks distipamctl itself for completions (System.CommandLine's
/// <c>[suggest]</c> directive), so it never goes stale. Install: <c>source &lt;(distipamctl completion bash)</c>.
/// </summary>
public static class CompletionCommand
{
    // The directive also suggests names that merely contain the word ("po" -> pools, endpoints,
    // --endpoint); bash inserts only the candidates' common prefix, so keep those starting with it
    // (zsh's compadd filters by itself).
    private const string Bash = """
        _distipamctl_complete() {
          local IFS=$'\n' cur="${COMP_WORDS[COMP_CWORD]}"
          COMPREPLY=( $(compgen -W "$(distipamctl "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${cur}") )
        }
        complete -o default -F _distipamctl_complete distipamctl

        """;

    private const string Zsh = """
        #compdef distipamctl
        _distipamctl() {
          local -a completions
          completions=("${(@f)$(distipamctl "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -a completions
        }
        compdef _distipamctl distipamctl

        """;

    /// <summary>The <c>completion</c> command.</summary>
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var completion = new Command("completion", "Print a shell completion script (source <(distipamctl completion bash)).") { shell };
        completion.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return completion;
    }
}
