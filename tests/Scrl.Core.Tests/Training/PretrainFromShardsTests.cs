using Scrl.Core.Data;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

public class PretrainFromShardsTests(TinyRun tiny) : IClassFixture<TinyRun>
{
    [Fact]
    public async Task Pretrain_DataFormatShards_RunsStepsFromShardFolder()
    {
        using var dir = new TempDirectory();
        string shards = dir.Combine("shards");
        var dataset = DatasetReaders.Read(DatasetFormat.Coco, tiny.DataRoot, "train");
        var index = await ShardWriter.WriteAsync(dataset, new ShardFolder(shards), new ShardWriterOptions { TargetShardBytes = 48 << 10 });
        Assert.True(index.Shards.Count > 1, $"want several shards, got {index.Shards.Count}");

        var config = tiny.Config("data.format=Shards", $"data.source={shards}", "run.maxSteps=3");
        var source = await PretrainDataSource.OpenAsync(config.Data);
        Assert.IsType<ShardSampleSource>(source);
        Assert.Equal(dataset.Records.Count, source.SamplesPerEpoch);

        using var job = new PretrainJob(config, source, dir.Combine("run"), CPU);
        var outcome = await job.RunAsync();
        Assert.True(outcome.Completed);
        Assert.Equal(3, outcome.Step);
        Assert.True(outcome.FinalLoss is > 0 and < double.PositiveInfinity, $"loss {outcome.FinalLoss}");
    }

    [Fact]
    public async Task OpenAsync_ShardFolderWithoutIndex_Throws()
    {
        using var dir = new TempDirectory();
        var config = tiny.Config("data.format=Shards", $"data.source={dir.Path}");
        await Assert.ThrowsAsync<FileNotFoundException>(() => PretrainDataSource.OpenAsync(config.Data));
    }
}
