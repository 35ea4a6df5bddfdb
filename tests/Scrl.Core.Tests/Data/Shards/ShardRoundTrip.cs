using System.Text.Json;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;

namespace Scrl.Core.Tests.Data.Shards;

/// <summary>Writes datasets to shards and reads every sample back, for round-trip assertions.</summary>
public static class ShardRoundTrip
{
    public static async Task<(ShardFolder Folder, ShardIndex Index)> WriteAsync(ImageDataset dataset, string folder, long targetBytes)
    {
        var shards = new ShardFolder(folder);
        var index = await ShardWriter.WriteAsync(dataset, shards, new ShardWriterOptions { TargetShardBytes = targetBytes });
        return (shards, index);
    }

    /// <summary>Every sample of every shard, in file order.</summary>
    public static async Task<List<ShardSample>> ReadAllAsync(ShardFolder folder, ShardIndex index)
    {
        var samples = new List<ShardSample>();
        foreach (var shard in index.Shards)
        {
            await using var stream = await folder.OpenReadAsync(shard.Name);
            await foreach (var sample in ShardTarReader.ReadAsync(stream, shard.Name)) samples.Add(sample);
        }
        return samples;
    }

    /// <summary>Asserts sample i holds record i's exact image bytes and an annotation equal to the record's.</summary>
    public static void AssertMatches(ImageDataset dataset, IReadOnlyList<ShardSample> samples)
    {
        Assert.Equal(dataset.Records.Count, samples.Count);
        var categories = dataset.Categories.ToDictionary(c => c.Id);
        for (int i = 0; i < samples.Count; i++)
        {
            var record = dataset.Records[i];
            Assert.Equal(ShardFormat.Key(i, dataset.Records.Count), samples[i].Key);
            Assert.True(File.ReadAllBytes(record.ImagePath).AsSpan().SequenceEqual(samples[i].Image), $"image bytes of {record.ImageId} differ");
            // Compare through json: records hold lists, whose equality is by reference.
            var expected = ShardAnnotation.Of(record, categories);
            Assert.Equal(Json(expected), Json(samples[i].ReadAnnotation()));
            Assert.Equal(record.Instances.Count, samples[i].ReadAnnotation().Instances.Count);
        }
    }

    private static string Json(ShardAnnotation a) => JsonSerializer.Serialize(a, ShardJsonContext.Default.ShardAnnotation);
}
