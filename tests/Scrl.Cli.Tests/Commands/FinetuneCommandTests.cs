using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Coco;

namespace Scrl.Cli.Tests.Commands;

public sealed class FinetuneCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Finetune_IntoAFolderThatDoesNotExist_TrainsAndCheckpoints_AndARerunHasNothingLeft()
    {
        string output = Path.Combine(coco.NewFolder(), "runs", "ft");   // two levels that do not exist yet
        string[] args =
        [
            "finetune", "--task", "coco-det", "--backbone", "random", "--train", CocoLayout.AnnotationFile(coco.Root, CocoLayout.Train),
            "-o", output, "--set", "maxSteps=1", "--set", "imagesPerStep=2",
            "--set", "trainMinSizes=[64]", "--set", "testMinSize=64", "--set", "maxSize=112", "--set", "warmupSteps=1", "--set", "lrSteps=[]",
        ];

        var (code, first) = await CliRunner.RunAsync(args);

        Assert.True(code == 0, first);
        Assert.True(File.Exists(Path.Combine(output, "checkpoints", "step-000001.ckpt")), first);
        Assert.Single(File.ReadAllLines(Path.Combine(output, "metrics.jsonl")));
        Assert.Matches(@"step 1/1 loss \d+\.\d{4}[\s\S]*done at step 1", first);   // progress in order, then the summary

        var (again, second) = await CliRunner.RunAsync(args);

        Assert.True(again == 0, second);
        Assert.Contains("already holds all 1 steps", second);
        Assert.Single(File.ReadAllLines(Path.Combine(output, "metrics.jsonl")));
    }

    [Fact]
    public async Task Finetune_WithAnImageFolderThatDoesNotExist_FailsAtOnceNamingIt()
    {
        string output = Path.Combine(coco.NewFolder(), "ft");

        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => CliRunner.RunAsync(
            "finetune", "--task", "coco-det", "--train", CocoLayout.AnnotationFile(coco.Root, CocoLayout.Train), "--train-split", "trainval", "-o", output));

        Assert.Contains(Path.Combine(coco.Root, "trainval"), e.Message);
        Assert.False(Directory.Exists(output));
    }
}
