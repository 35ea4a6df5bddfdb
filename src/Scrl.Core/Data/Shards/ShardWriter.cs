using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// Writes an <see cref="ImageDataset"/> as WebDataset tar shards plus <c>index.json</c> (see <see cref="ShardFormat"/>).
/// Samples keep the dataset's record order and are keyed by position; image bytes are copied unchanged.
/// </summary>
/// <remarks>
/// Streams: images go from their files into a shard's two 1 MiB chunks (<see cref="ShardTarWriter"/>), which are hashed
/// and written while the next samples are read; annotation json is serialized a batch ahead (<see cref="AnnotationJsonAhead"/>).
/// Shards go to an <see cref="IShardSink"/>, which makes each one visible only when complete (a local
/// <see cref="ShardFolder"/>, or a blob store in the pipeline), and the index is written last, so a set with an
/// index is always whole. Validate the dataset first, or its annotations first and the images on the way
/// (<see cref="ShardWriterOptions.CheckImages"/>): a missing image or unknown category stops the write.
/// </remarks>
public static class ShardWriter
{
    /// <summary>Writes all shards, then the index; returns the index. Reports progress after every sample.</summary>
    public static async Task<ShardIndex> WriteAsync(ImageDataset dataset, IShardSink sink, ShardWriterOptions options,
                                                    IProgress<ShardWriteProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid shard options: " + string.Join("; ", errors), nameof(options));

        var categories = dataset.Categories.ToDictionary(c => c.Id);
        var shards = new List<ShardInfo>();
        long bytesWritten = 0;
        int next = 0;
        while (next < dataset.Records.Count)
        {
            string name = ShardFormat.ShardName(shards.Count);
            int first = next;
            ShardInfo? shard = null;
            long before = bytesWritten;
            int shardsBefore = shards.Count;
            Action<int, long>? sampleDone = progress is null ? null
                : (samples, shardBytes) => progress.Report(new ShardWriteProgress(samples, dataset.Records.Count, shardsBefore, before + shardBytes));
            // The sink may run the callback again after a failed attempt, so it starts from `first` each time.
            await sink.WriteAsync(name, async (stream, ct) =>
            {
                (shard, next) = await WriteShardAsync(name, dataset, categories, first, options, stream, sampleDone, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            shards.Add(shard!);
            bytesWritten += shard!.Bytes;
            progress?.Report(new ShardWriteProgress(next, dataset.Records.Count, shards.Count, bytesWritten));
        }

        var index = new ShardIndex(ShardFormat.Version, ShardIndex.HashOf(shards), dataset.Records.Count, bytesWritten,
                                   options.TargetShardBytes, [.. dataset.Categories.OrderBy(c => c.Id)], shards);
        await sink.WriteAsync(ShardFormat.IndexName, async (stream, ct) =>
            await JsonSerializer.SerializeAsync(stream, index, ShardJsonContext.Default.ShardIndex, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return index;
    }

    /// <summary>
    /// Writes samples from <paramref name="first"/> until the next one would pass the target size; returns the shard and
    /// the next sample. <paramref name="sampleDone"/> gets (samples done in the dataset, bytes of this shard so far).
    /// </summary>
    private static async Task<(ShardInfo Shard, int Next)> WriteShardAsync(string name, ImageDataset dataset, IReadOnlyDictionary<int, DatasetCategory> categories,
                                                                           int first, ShardWriterOptions options, Stream output, Action<int, long>? sampleDone,
                                                                           CancellationToken ct)
    {
        long targetBytes = options.TargetShardBytes;
        bool checkImages = options.CheckImages;
        await using var tar = new ShardTarWriter(output, ct);
        await using var annotations = new AnnotationJsonAhead(dataset, categories, first, ct);
        long planned = ShardFormat.EndOfArchiveBytes;
        int next = first;
        for (; next < dataset.Records.Count; next++)
        {
            ct.ThrowIfCancellationRequested();
            var record = dataset.Records[next];
            string key = ShardFormat.Key(next, dataset.Records.Count);
            string imageName = $"{key}.{ShardFormat.ImageExtension(record.ImagePath)}";
            byte[] json = await annotations.NextAsync().ConfigureAwait(false);
            using var image = OpenImage(record, checkImages, out long imageBytes);
            long sampleBytes = ShardFormat.EntryBytes(imageBytes) + ShardFormat.EntryBytes(json.Length);
            if (next > first && planned + sampleBytes > targetBytes) break;

            await tar.AddFileAsync(imageName, image, imageBytes, record.ImagePath, checkImages ? bytes => Check(record, bytes) : null).ConfigureAwait(false);
            await tar.AddAsync($"{key}.{ShardFormat.AnnotationExtension}", json).ConfigureAwait(false);
            planned += sampleBytes;
            sampleDone?.Invoke(next + 1, planned - ShardFormat.EndOfArchiveBytes);
        }
        var (bytes, sha256) = await tar.FinishAsync().ConfigureAwait(false);
        if (bytes != planned)   // our size accounting is what keeps shards under the target
            throw new InvalidOperationException($"Shard {name}: wrote {bytes} bytes, planned {planned}.");
        return (new ShardInfo(name, ShardFormat.Key(first, dataset.Records.Count), next - first, bytes, sha256), next);
    }

    // One handle per image, read with positioned reads straight into the shard's chunk (no stream, no extra copy).
    // When checking, the failures are the problems DatasetValidator would report for the file.
    private static SafeFileHandle OpenImage(DatasetRecord record, bool checking, out long length)
    {
        try
        {
            var handle = File.OpenHandle(record.ImagePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            try
            {
                length = RandomAccess.GetLength(handle);
                if (checking && length > ShardTarWriter.MaxCheckedBytes)
                    throw new DatasetProblemException(Problem(DatasetProblemKind.CorruptImage, record, $"{length} bytes is more than an image can have"));
                return handle;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        catch (Exception e) when (checking && e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetProblemException(Problem(DatasetProblemKind.MissingImage, record, "image file does not exist"));
        }
        catch (Exception e) when (checking && e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetProblemException(Problem(DatasetProblemKind.CorruptImage, record, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read image {record.ImageId} ('{record.ImagePath}'): {e.Message}", e);
        }
    }

    private static void Check(DatasetRecord record, ReadOnlySpan<byte> image)
    {
        if (DatasetValidator.CheckImageBytes(record, image) is { } problem) throw new DatasetProblemException(problem);
    }

    private static DatasetProblem Problem(DatasetProblemKind kind, DatasetRecord record, string message) =>
        new(kind, record.ImageId, record.ImagePath, null, message);
}
