using Spectre.Console;

namespace Scrl.Cli.Commands;

/// <summary>
/// Lines users copy into a shell or a config (commands, paths, connection strings). Spectre breaks text at the console
/// width with hard line breaks, which would corrupt a copied value, so these go to the console's writer whole.
/// </summary>
internal static class CopyableLines
{
    public static void WriteCopyable(this IAnsiConsole console, string line) => console.Profile.Out.Writer.WriteLine(line);
}
