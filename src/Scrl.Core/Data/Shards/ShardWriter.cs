using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// Writes an <see cref="ImageDataset"/> as WebDataset tar shards plus <c>index.json</c> (see <see cref="ShardFormat"/>).
/// Samples keep the dataset's record order and are keyed by position; image bytes are copied unchanged.
/// </summary>
/// <remarks>
/// A planner cuts the dataset into shards ahead of the writers: it serializes each sample's annotation json and takes
/// its image's size from the file system, so every shard's samples and exact byte count are known before it is
/// written, and <see cref="ShardWriterOptions.Parallelism"/> shards are then written at once. The cut depends on sizes
/// only, so the shards are the same bytes whatever the parallelism. Within a shard, images go from their files into
/// pooled chunks that are hashed and written in the background (<see cref="ShardTarWriter"/>); the sha256 of one shard
/// is a serial chain, so writing shards side by side is what lets hashing use more than one core.
/// Shards go to an <see cref="IShardSink"/>, which makes each one visible only when complete (a local
/// <see cref="ShardFolder"/>, or a blob store in the pipeline), and the index is written last, so a set with an
/// index is always whole. Validate the dataset first, or its annotations first and the images on the way
/// (<see cref="ShardWriterOptions.CheckImages"/>): a missing image or unknown category stops the write.
/// </remarks>
public static class ShardWriter
{
    /// <summary>
    /// Writes all shards, then the index; returns the index. Reports progress after every sample. When shards fail, the
    /// failure of the earliest shard that failed is thrown (a failure cancels the shards still being written).
    /// </summary>
    public static async Task<ShardIndex> WriteAsync(ImageDataset dataset, IShardSink sink, ShardWriterOptions options,
                                                    IProgress<ShardWriteProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid shard options: " + string.Join("; ", errors), nameof(options));

        ReservePoolThreads(options.Parallelism);
        var categories = dataset.Categories.ToDictionary(c => c.Id);
        var shards = new ConcurrentDictionary<int, ShardInfo>();
        var failures = new ConcurrentDictionary<int, Exception>();
        var tally = new ProgressTally(dataset.Records.Count, progress);
        // Plans wait in the channel (at most one per writer), so the next shard is ready when a writer frees up.
        var plans = Channel.CreateBounded<ShardPlan>(new BoundedChannelOptions(options.Parallelism) { SingleWriter = true });
        using var planning = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var planner = Task.Run(() => PlanAsync(dataset, categories, options, plans.Writer, failures, planning.Token), planning.Token);
        try
        {
            await Parallel.ForEachAsync(plans.Reader.ReadAllAsync(planning.Token), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = planning.Token },
                async (plan, ct) =>
                {
                    try
                    {
                        shards[plan.Number] = await WriteShardAsync(plan, dataset, options.CheckImages, sink, tally, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failures[plan.Number] = e;
                        throw;
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception) when (!failures.IsEmpty)
        {
            // Thrown below: the earliest shard's failure, whichever came first in time.
        }
        finally
        {
            await planning.CancelAsync().ConfigureAwait(false);
            await planner.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (!failures.IsEmpty) ExceptionDispatchInfo.Throw(failures.MinBy(f => f.Key).Value);

        var ordered = shards.OrderBy(s => s.Key).Select(s => s.Value).ToList();
        var index = new ShardIndex(ShardFormat.Version, ShardIndex.HashOf(ordered), dataset.Records.Count, ordered.Sum(s => s.Bytes),
                                   options.TargetShardBytes, [.. dataset.Categories.OrderBy(c => c.Id)], ordered);
        await sink.WriteAsync(ShardFormat.IndexName, async (stream, ct) =>
            await JsonSerializer.SerializeAsync(stream, index, ShardJsonContext.Default.ShardIndex, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return index;
    }

    // Each shard being written blocks up to two pool threads in synchronous I/O: a direct write while the device works,
    // and a read when the image is not in the page cache. Without threads to spare, hashing and copying wait for them
    // until the pool's slow thread injection catches up: `scrl shard` of 730 MiB read from a cold page cache took 0.92x
    // the wall time with this (median of 5 alternated pairs; within noise when the images are cached).
    private static void ReservePoolThreads(int parallelism)
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        int wanted = Environment.ProcessorCount + 2 * parallelism;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    /// <summary>
    /// Cuts the dataset into shards: samples join a shard until the next one would pass the target size (a sample larger
    /// than the target gets a shard of its own). A failure is recorded under the shard being planned, and ends the plans.
    /// </summary>
    private static async Task PlanAsync(ImageDataset dataset, IReadOnlyDictionary<int, DatasetCategory> categories, ShardWriterOptions options,
                                        ChannelWriter<ShardPlan> plans, ConcurrentDictionary<int, Exception> failures, CancellationToken ct)
    {
        int number = 0;
        try
        {
            PlannedSample? carried = null;
            int next = 0;
            while (next < dataset.Records.Count)
            {
                int first = next;
                var samples = new List<PlannedSample>();
                long bytes = ShardFormat.EndOfArchiveBytes;
                for (; next < dataset.Records.Count; next++)
                {
                    ct.ThrowIfCancellationRequested();
                    var sample = carried ?? Plan(dataset.Records[next], categories, options.CheckImages);
                    carried = null;
                    if (samples.Count > 0 && bytes + sample.EntryBytes > options.TargetShardBytes)
                    {
                        carried = sample;
                        break;
                    }
                    samples.Add(sample);
                    bytes += sample.EntryBytes;
                }
                await plans.WriteAsync(new ShardPlan(number, first, samples, bytes), ct).ConfigureAwait(false);
                number++;
            }
            plans.Complete();
        }
        catch (Exception e)
        {
            if (e is not OperationCanceledException) failures[number] = e;
            plans.Complete(e);
        }
    }

    private static PlannedSample Plan(DatasetRecord record, IReadOnlyDictionary<int, DatasetCategory> categories, bool checking)
    {
        long imageBytes = AccessImage(record, checking, () => new FileInfo(record.ImagePath).Length);
        if (checking && imageBytes > ShardTarWriter.MaxCheckedBytes)
            throw new DatasetProblemException(Problem(DatasetProblemKind.CorruptImage, record, $"{imageBytes} bytes is more than an image can have"));
        var json = JsonSerializer.SerializeToUtf8Bytes(ShardAnnotation.Of(record, categories), ShardJsonContext.Default.ShardAnnotation);
        return new PlannedSample(record, imageBytes, json);
    }

    /// <summary>Writes one planned shard through the sink; the sink may run the callback again after a failed attempt.</summary>
    private static async Task<ShardInfo> WriteShardAsync(ShardPlan plan, ImageDataset dataset, bool checkImages, IShardSink sink, ProgressTally tally,
                                                         CancellationToken ct)
    {
        string name = ShardFormat.ShardName(plan.Number);
        string? sha256 = null;
        await sink.WriteAsync(name, async (stream, attemptCt) =>
        {
            var reported = (Samples: 0, Bytes: 0L);
            try
            {
                await using var tar = new ShardTarWriter(stream, attemptCt);
                for (int i = 0; i < plan.Samples.Count; i++)
                {
                    attemptCt.ThrowIfCancellationRequested();
                    var (record, imageBytes, json) = plan.Samples[i];
                    string key = ShardFormat.Key(plan.First + i, dataset.Records.Count);
                    using (var image = OpenImage(record, imageBytes, checkImages))
                        await tar.AddFileAsync($"{key}.{ShardFormat.ImageExtension(record.ImagePath)}", image, imageBytes, record.ImagePath,
                                               checkImages ? bytes => Check(record, bytes) : null).ConfigureAwait(false);
                    await tar.AddAsync($"{key}.{ShardFormat.AnnotationExtension}", json).ConfigureAwait(false);
                    long entryBytes = plan.Samples[i].EntryBytes;
                    tally.Add(1, entryBytes);
                    reported = (reported.Samples + 1, reported.Bytes + entryBytes);
                }
                var (bytes, hash) = await tar.FinishAsync().ConfigureAwait(false);
                if (bytes != plan.Bytes)   // our size accounting is what keeps shards under the target
                    throw new InvalidOperationException($"Shard {name}: wrote {bytes} bytes, planned {plan.Bytes}.");
                sha256 = hash;
            }
            catch
            {
                tally.Add(-reported.Samples, -reported.Bytes);
                throw;
            }
        }, ct).ConfigureAwait(false);
        tally.ShardDone();
        return new ShardInfo(name, ShardFormat.Key(plan.First, dataset.Records.Count), plan.Samples.Count, plan.Bytes,
                             sha256 ?? throw new InvalidOperationException($"The sink never ran the writer of shard {name}."));
    }

    // One handle per image, read with positioned reads straight into the shard's chunk (no stream, no extra copy). The
    // file must still have the size the shard was planned with.
    private static SafeFileHandle OpenImage(DatasetRecord record, long plannedBytes, bool checking)
    {
        var handle = AccessImage(record, checking, () => File.OpenHandle(record.ImagePath, FileMode.Open, FileAccess.Read, FileShare.Read));
        long length = RandomAccess.GetLength(handle);
        if (length == plannedBytes) return handle;
        handle.Dispose();
        throw new InvalidDataException($"'{record.ImagePath}' changed while it was sharded: {plannedBytes} bytes when its shard was planned, {length} now; shard it again.");
    }

    // File-system failures as what they mean for the dataset: when checking, the problems DatasetValidator would report.
    private static T AccessImage<T>(DatasetRecord record, bool checking, Func<T> access)
    {
        try
        {
            return access();
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

    /// <summary>A sample as planned: its record, its image's size and its annotation json.</summary>
    private sealed record PlannedSample(DatasetRecord Record, long ImageBytes, byte[] Json)
    {
        public long EntryBytes => ShardFormat.EntryBytes(ImageBytes) + ShardFormat.EntryBytes(Json.Length);
    }

    /// <summary>Shard <paramref name="Number"/>: samples from <paramref name="First"/> on, <paramref name="Bytes"/> long in all.</summary>
    private sealed record ShardPlan(int Number, int First, IReadOnlyList<PlannedSample> Samples, long Bytes);

    /// <summary>Totals over the shards being written side by side, reported in one order (a lock, since several writers add).</summary>
    private sealed class ProgressTally(int sampleCount, IProgress<ShardWriteProgress>? progress)
    {
        private readonly Lock _gate = new();
        private int _samples;
        private int _shards;
        private long _bytes;

        public void Add(int samples, long bytes)
        {
            if (progress is null) return;
            lock (_gate)
            {
                _samples += samples;
                _bytes += bytes;
                progress.Report(new ShardWriteProgress(_samples, sampleCount, _shards, _bytes));
            }
        }

        public void ShardDone()
        {
            if (progress is null) return;
            lock (_gate)
            {
                _shards++;
                _bytes += ShardFormat.EndOfArchiveBytes;
                progress.Report(new ShardWriteProgress(_samples, sampleCount, _shards, _bytes));
            }
        }
    }
}
