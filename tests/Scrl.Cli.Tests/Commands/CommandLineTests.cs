using Scrl.Cli.Tests.Support;
using Spectre.Console.Cli;

namespace Scrl.Cli.Tests.Commands;

/// <summary>Command-line mistakes are refused before any work starts (the app prints them and exits with 2).</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("pretrain", "--steps", "10")]          // a mistyped option must not be ignored and the run go ahead
    [InlineData("shard", "--source", "x", "--out", "y", "--fromat", "voc")]
    [InlineData("nosuch")]
    public async Task UnknownCommandOrOption_IsAParseError(params string[] args)
    {
        await Assert.ThrowsAsync<CommandParseException>(() => CliRunner.RunAsync(args));
    }

    [Fact]
    public async Task BenchPretrain_UnknownDataMode_IsRefused()
    {
        var e = await Assert.ThrowsAsync<CommandRuntimeException>(() => CliRunner.RunAsync("bench", "pretrain", "--data", "jpg"));

        Assert.Contains("--data must be synthetic, jpeg or both", e.Message);
    }
}
