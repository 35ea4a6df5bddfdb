using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>A shard set read back as a dataset, with the problems found in its images.</summary>
/// <param name="Dataset">Records in key order; <see cref="DatasetRecord.ImagePath"/> is <c>{shard}/{key}.{ext}</c>.</param>
/// <param name="ImageProblems">Undecodable or mis-sized images, by record index (see <see cref="DatasetValidator.ValidateAnnotations"/>).</param>
public sealed record ShardSetContents(ImageDataset Dataset, IReadOnlyDictionary<int, DatasetProblem> ImageProblems);

/// <summary>Reads a whole shard set back into records, verifying every shard against its index on the way.</summary>
public static class ShardSetReader
{
    /// <summary>
    /// Streams each shard once: checks its size, sha256 and sample count against <paramref name="index"/>, parses the
    /// annotations and, with <paramref name="decodeImages"/>, fully decodes every image.
    /// </summary>
    /// <exception cref="InvalidDataException">A shard differs from the index (corrupt or replaced); the message names it.</exception>
    public static async Task<ShardSetContents> ReadAsync(ShardIndex index, IShardSource source, bool decodeImages,
                                                         IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        var records = new List<DatasetRecord>(index.SampleCount);
        var problems = new Dictionary<int, DatasetProblem>();
        foreach (var shard in index.Shards)
        {
            int before = records.Count;
            await using var stream = await source.OpenReadAsync(shard.Name, cancellationToken).ConfigureAwait(false);
            using var hashing = new HashingReadStream(stream);
            await foreach (var sample in ShardTarReader.ReadAsync(hashing, shard.Name, cancellationToken).ConfigureAwait(false))
            {
                var annotation = sample.ReadAnnotation();
                var record = new DatasetRecord(annotation.ImageId, annotation.FileName, $"{shard.Name}/{sample.Key}.{sample.ImageExtension}",
                                               annotation.Width, annotation.Height, annotation.Instances);
                if (decodeImages && DatasetValidator.CheckImageBytes(record, sample.Image) is { } problem) problems[records.Count] = problem;
                records.Add(record);
                progress?.Report(records.Count);
            }
            await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);   // the tar reader may stop before the padding
            string sha = hashing.FinishHash();
            if (hashing.BytesRead != shard.Bytes || sha != shard.Sha256 || records.Count - before != shard.SampleCount)
                throw new InvalidDataException(
                    $"Shard {source.Describe(shard.Name)} does not match the index: {hashing.BytesRead} bytes, {records.Count - before} samples, " +
                    $"sha256 {sha}; the index says {shard.Bytes} bytes, {shard.SampleCount} samples, sha256 {shard.Sha256}.");
        }
        return new ShardSetContents(new ImageDataset(source.Describe(ShardFormat.IndexName), index.Categories, records), problems);
    }
}
