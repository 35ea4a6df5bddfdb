using System.Text.RegularExpressions;
using Scrl.Cli.Tests.Support;

namespace Scrl.Cli.Tests.Commands;

/// <summary><c>--help</c> of every command, found by walking the app's own help: a description Spectre cannot render
/// (an unescaped [ in markup) must fail here, not in front of a user.</summary>
public sealed partial class HelpTests
{
    [Fact]
    public async Task Help_OfEveryCommand_Renders()
    {
        var pending = new Queue<string[]>([[]]);
        var visited = new List<string>();
        while (pending.TryDequeue(out var path))
        {
            var (code, output) = await CliRunner.RunAsync([.. path, "--help"]);
            string name = string.Join(' ', path);
            Assert.True(code == 0, $"'scrl {name} --help' exited with {code}:\n{output}");
            Assert.Contains("USAGE:", output);
            visited.Add(name);
            foreach (string sub in Subcommands(output)) pending.Enqueue([.. path, sub]);
        }

        // The walk must have reached the commands users start with, and the nested ones.
        Assert.Contains("pretrain", visited);
        Assert.Contains("finetune", visited);
        Assert.Contains("bench data", visited);
        Assert.Contains("roi-eval compare", visited);
        Assert.True(visited.Count >= 18, string.Join(", ", visited));
    }

    // Names listed under COMMANDS: ("    pretrain    Pretrain a backbone ...").
    private static IEnumerable<string> Subcommands(string help)
    {
        int start = help.IndexOf("COMMANDS:", StringComparison.Ordinal);
        if (start < 0) yield break;
        foreach (Match m in CommandLine().Matches(help[start..])) yield return m.Groups[1].Value;
    }

    [GeneratedRegex(@"^ {4}([a-z][a-z-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
