using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;

namespace Scrl.Cli.Tests.Commands;

public sealed class DatasetInspectCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Inspect_ShardIndex_PrintsEveryCategoryWithItsCounts()
    {
        var dataset = coco.ReadTrain();
        var folder = new ShardFolder(coco.NewFolder());
        var index = await ShardWriter.WriteAsync(dataset, folder, new ShardWriterOptions { TargetShardBytes = 48 << 10 });

        var (code, output) = await CliRunner.RunAsync("dataset", "inspect", folder.PathOf(ShardFormat.IndexName));

        Assert.True(code == 0, output);
        Assert.Contains($"{dataset.Records.Count} images", output);
        Assert.Contains($"{index.Shards.Count} shards", output);
        Assert.Contains(index.DatasetHash, output);
        foreach (var category in dataset.Categories)
        {
            int images = dataset.Records.Count(r => r.Instances.Any(i => i.CategoryId == category.Id));
            int instances = dataset.Records.Sum(r => r.Instances.Count(i => i.CategoryId == category.Id));
            Assert.Matches($@"│ {category.Id}\s+│ {category.Name}\s+│ {images}\s+│ {instances}\s+│", output);
        }
        Assert.Contains("small (< 32²)", output);
        Assert.Contains("box side sqrt(w*h)", output);
        Assert.Contains("no problems found", output);
    }

    [Fact]
    public async Task Inspect_TheFolderShardWrote_InspectsItsShardSet_OrAsksWhichOfSeveral()
    {
        string store = coco.NewFolder();
        var (shardCode, shardOutput) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--out", store, "--shard-size", "48KB");
        Assert.True(shardCode == 0, shardOutput);
        string hash = Path.GetFileName(Assert.Single(Directory.GetDirectories(Path.Combine(store, "datasets"))));

        var (code, output) = await CliRunner.RunAsync("dataset", "inspect", store);

        Assert.True(code == 0, output);
        Assert.Contains($"dataset hash {hash}", output);
        Assert.Contains($"{coco.ReadTrain().Records.Count} images", output);

        var (valCode, valOutput) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--split", "val", "--out", store, "--shard-size", "48KB");
        Assert.True(valCode == 0, valOutput);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CliRunner.RunAsync("dataset", "inspect", store));
        Assert.Contains("holds 2 shard sets", error.Message);
        Assert.Contains(Path.Combine(store, "datasets", hash, "shards"), error.Message);
    }

    [Fact]
    public async Task Inspect_DatasetFolderWithBrokenBox_ListsTheProblem()
    {
        string root = coco.CopyRoot();
        string annotations = CocoLayout.AnnotationFile(root, CocoLayout.Val);
        var json = JsonDocument.Parse(File.ReadAllText(annotations)).RootElement;
        string text = File.ReadAllText(annotations);
        var firstBox = json.GetProperty("annotations")[0].GetProperty("bbox");
        text = text.Replace(firstBox.GetRawText(), "[5000,5000,10,10]");   // far outside the image
        File.WriteAllText(annotations, text);

        var (code, output) = await CliRunner.RunAsync("dataset", "inspect", root, "--format", "coco", "--split", "val");

        Assert.True(code == 0, output);
        Assert.Contains($"{DatasetProblemKind.BoxOutOfBounds}", output);
        Assert.Contains("1 problems", output);
    }
}
