using System.Diagnostics;
using System.Text.RegularExpressions;
using Scrl.Core.Models;

namespace Scrl.Cli.Tests.Commands;

/// <summary>
/// One training step of every backbone and detector, each in a child process with oneDNN's verbose log on: the
/// process must exit 0, and no 1×1 convolution oneDNN 3.7 divides by zero planning (<see cref="PointwiseConv2d"/>)
/// may be executed, in either direction. This holds on any CPU, also on one where the division happens to be safe.
/// </summary>
[Collection(Supervision.ChildProcessCollection.Name)]
public sealed partial class OneDnnGuardTests
{
    public static TheoryData<string[]> TrainingSteps() => new()
    {
        new[] { "bench", "pretrain", "--arch", "ResNet18", "--size", "64", "--batch", "2", "--steps", "1", "--warmup", "0", "--data", "synthetic" },
        new[] { "bench", "pretrain", "--arch", "ResNet34", "--size", "64", "--batch", "2", "--steps", "1", "--warmup", "0", "--data", "synthetic" },
        new[] { "bench", "pretrain", "--arch", "ResNet50", "--size", "64", "--batch", "2", "--steps", "1", "--warmup", "0", "--data", "synthetic" },
        new[] { "bench", "pretrain", "--arch", "ResNet50", "--size", "64", "--batch", "2", "--steps", "1", "--warmup", "0", "--data", "synthetic",
                "--set", "network.channelsLast=false" },
        new[] { "bench", "pretrain", "--arch", "ResNet101", "--size", "64", "--batch", "2", "--steps", "1", "--warmup", "0", "--data", "synthetic" },
        new[] { "bench", "finetune", "--size", "128", "--steps", "1", "--warmup", "0", "--passes", "1" },
    };

    [Theory]
    [MemberData(nameof(TrainingSteps))]
    public async Task TrainingStep_ExitsCleanly_AndNeverRunsAOneByOneConvolutionOneDnnCannotPlan(string[] args)
    {
        var (exitCode, output) = await RunScrlAsync(args, TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"scrl {string.Join(' ', args)} exited {exitCode}:\n{Tail(output)}");
        var pointwise = OneByOneConvolutions(output).ToList();
        Assert.True(pointwise.Count > 0, "no 1×1 convolution in oneDNN's log: the guard would pass vacuously");
        var unplannable = pointwise.Where(c => PointwiseConv2d.NeedsExtraFilters(c.In, c.Out)).Select(c => c.Line).Distinct().ToList();
        Assert.True(unplannable.Count == 0, $"oneDNN ran 1×1 convolutions with a channel pair it divides by zero on:\n{string.Join('\n', unplannable)}");
    }

    [Fact]
    public void LogParser_FindsTheChannelPairOfAOneByOneConvolution_AndSkipsOthers()
    {
        const string log = """
            onednn_verbose,v1,primitive,exec,cpu,convolution,brgconv_1x1:avx512_core,forward_training,src:f32::blocked:acdb::f0 wei:f32:a:blocked:Acdb32a::f0 bia:undef::undef::: dst:f32::blocked:acdb::f0,attr-scratchpad:user,alg:convolution_direct,mb8_ic256oc1024_ih6oh6kh1sh1dh0ph0_iw6ow6kw1sw1dw0pw0,1.2
            onednn_verbose,v1,primitive,exec,cpu,convolution,jit:avx512_core,forward_training,src:f32::blocked:acdb::f0 wei:f32:a:blocked:ABcd16b16a::f0 bia:undef::undef::: dst:f32::blocked:acdb::f0,attr-scratchpad:user,alg:convolution_direct,mb8_ic256oc256_ih12oh6kh3sh2dh0ph1_iw12ow6kw3sw2dw0pw1,1.1
            onednn_verbose,v1,primitive,exec,cpu,reorder,jit:uni,undef,src:f32::blocked:abcd::f0 dst:f32::blocked:Acdb32a::f0,attr-scratchpad:user,,256x512x1x1,1.0
            """;

        var found = OneByOneConvolutions(log).Select(c => (c.In, c.Out)).ToList();

        Assert.Equal([(256L, 1024L)], found);
    }

    private static IEnumerable<(long In, long Out, string Line)> OneByOneConvolutions(string log)
    {
        foreach (string line in log.Split('\n'))
        {
            if (!line.StartsWith("onednn_verbose", StringComparison.Ordinal) || !line.Contains(",convolution,", StringComparison.Ordinal)) continue;
            var shape = ConvolutionShape().Match(line);
            if (shape.Success && shape.Groups["kh"].Value == "1" && shape.Groups["kw"].Value == "1")
                yield return (long.Parse(shape.Groups["ic"].Value), long.Parse(shape.Groups["oc"].Value), line.Trim());
        }
    }

    // oneDNN's problem descriptor, e.g. mb8_ic256oc1024_ih6oh6kh1sh1dh0ph0_iw6ow6kw1sw1dw0pw0 (g<n> precedes ic when grouped).
    [GeneratedRegex(@"mb\d+_(?:g\d+)?ic(?<ic>\d+)oc(?<oc>\d+)_(?:id\d+od\d+kd\d+sd\d+dd\d+pd\d+_)?ih\d+oh\d+kh(?<kh>\d+)sh\d+dh\d+ph\d+_iw\d+ow\d+kw(?<kw>\d+)")]
    private static partial Regex ConvolutionShape();

    private static async Task<(int ExitCode, string Output)> RunScrlAsync(string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { typeof(ScrlCommands).Assembly.Location } };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        (start.RedirectStandardOutput, start.RedirectStandardError, start.UseShellExecute) = (true, true, false);
        start.Environment["ONEDNN_VERBOSE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("scrl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scrl {string.Join(' ', args)} ran past {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
