using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Scrl.Core.Runtime;
using static TorchSharp.torch;

namespace Scrl.Core.Data.Loading;

/// <summary>
/// Turns a batch of decoded uint8 images [3, H_i, W_i] into the model's input, on a loader thread. The loader
/// disposes <paramref name="batch"/> when this returns, so the result must not keep its images.
/// </summary>
public delegate TBatch BatchTransform<out TBatch>(ImageBatch batch);

/// <summary>Factories for <see cref="PretrainDataLoader{TBatch}"/>.</summary>
public static class PretrainDataLoader
{
    /// <summary>A loader over image files that yields the decoded images themselves.</summary>
    public static PretrainDataLoader<ImageBatch> Create(UnlabeledImageSource source, PretrainDataLoaderOptions options) =>
        Create(new ImageListSampleSource(source), options);

    /// <summary>A loader over image files that also runs <paramref name="transform"/> (e.g. two-view augmentation) in the background.</summary>
    public static PretrainDataLoader<TBatch> Create<TBatch>(UnlabeledImageSource source, PretrainDataLoaderOptions options,
                                                            BatchTransform<TBatch> transform) where TBatch : IDisposable =>
        Create(new ImageListSampleSource(source), options, transform);

    /// <summary>A loader over any sample source (files or shards) that yields the decoded images themselves.</summary>
    public static PretrainDataLoader<ImageBatch> Create(IPretrainSampleSource source, PretrainDataLoaderOptions options) =>
        new(source, options, batch => batch);

    /// <summary>A loader over any sample source (files or shards) that also runs <paramref name="transform"/> in the background.</summary>
    public static PretrainDataLoader<TBatch> Create<TBatch>(IPretrainSampleSource source, PretrainDataLoaderOptions options,
                                                            BatchTransform<TBatch> transform) where TBatch : IDisposable
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new(source, options, batch =>
        {
            using (batch) return transform(batch);
        });
    }
}

/// <summary>
/// Yields batches in a per-epoch order derived from (seed, epoch), decoding them on background tasks while
/// the consumer computes. Batches come out in the same order whatever the worker count or timing, and
/// reading from a saved <see cref="Position"/> repeats exactly the batches an uninterrupted run would have seen.
/// </summary>
/// <remarks>
/// Each yielded batch belongs to the consumer, who disposes it. Tensors are created on loader threads with no
/// dispose scope open, so the consumer's own step scope must be opened inside the loop body, not around an
/// <c>await</c>. Decoding or transform errors reach the consumer when it asks for the failed batch.
/// </remarks>
public sealed class PretrainDataLoader<TBatch> where TBatch : IDisposable
{
    private readonly IPretrainSampleSource _source;
    private readonly PretrainDataLoaderOptions _options;
    private readonly Func<ImageBatch, TBatch> _finish;
    private int _reading;

    internal PretrainDataLoader(IPretrainSampleSource source, PretrainDataLoaderOptions options, Func<ImageBatch, TBatch> finish)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid loader options: " + string.Join("; ", errors), nameof(options));
        _source = source;
        _options = options;
        _finish = finish;
        int count = source.SamplesPerEpoch;
        BatchesPerEpoch = options.DropLast ? count / options.BatchSize : (count + options.BatchSize - 1) / options.BatchSize;
        if (BatchesPerEpoch == 0)
            throw new ArgumentException($"{source.Description} has {count} images, fewer than one batch of {options.BatchSize} with dropLast.");
    }

    public int BatchesPerEpoch { get; }

    /// <summary>The position of the next batch to be handed out; save it after a step to resume after that step's batch.</summary>
    public LoaderPosition Position { get; private set; }

    /// <summary>Reads batches from <paramref name="start"/> up to the end of epoch <paramref name="endEpoch"/> - 1.</summary>
    public async IAsyncEnumerable<TBatch> ReadAsync(LoaderPosition start, int endEpoch,
                                                    [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (start.Epoch < 0 || start.BatchIndex < 0 || start.BatchIndex >= BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"must be a batch of an epoch with {BatchesPerEpoch} batches");
        if (Interlocked.Exchange(ref _reading, 1) == 1)
            throw new InvalidOperationException("This loader is already being read; it supports one reader at a time.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // ready: every scheduled batch in order, bounded so decoding stays at most PrefetchBatches ahead.
        // jobs: the same batches for the workers, who complete them in any order.
        var ready = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(_options.PrefetchBatches) { SingleReader = true, SingleWriter = true });
        var jobs = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleWriter = true });
        var producer = Task.Run(() => ScheduleAsync(start, endEpoch, ready.Writer, jobs.Writer, stop.Token), CancellationToken.None);
        var workers = Enumerable.Range(0, _options.DecodeWorkers)
            .Select(_ => Task.Factory.StartNew(() => Work(jobs.Reader, stop.Token), CancellationToken.None,
                                              TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        Position = start;
        try
        {
            await foreach (var pending in ready.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                TBatch batch;
                try
                {
                    // After a cancellation no worker may ever take this batch (the producer can be stopped between
                    // queueing it here and for the workers, and workers stop), so wait for it only until then.
                    batch = await pending.Result.Task.WaitAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    DisposeIfDecoded(pending);
                    throw;
                }
                if (stop.IsCancellationRequested)
                {
                    // Prefetched before the cancellation: not handed out, so ours to dispose.
                    batch.Dispose();
                    stop.Token.ThrowIfCancellationRequested();
                }
                Position = pending.Position.Next(BatchesPerEpoch);
                yield return batch;
            }
            await producer.ConfigureAwait(false);   // a scheduling failure ends the channel early; report it
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await IgnoreCancellation(producer).ConfigureAwait(false);
            foreach (var worker in workers) await IgnoreCancellation(worker).ConfigureAwait(false);
            // Batches decoded ahead but never handed out are still ours to dispose.
            while (ready.Reader.TryRead(out var leftover))
            {
                if (leftover.Result.Task.IsCompletedSuccessfully) leftover.Result.Task.Result.Dispose();
                else leftover.Result.TrySetCanceled();
            }
            Volatile.Write(ref _reading, 0);
        }
    }

    private async Task ScheduleAsync(LoaderPosition start, int endEpoch, ChannelWriter<PendingBatch> ready,
                                     ChannelWriter<PendingBatch> jobs, CancellationToken ct)
    {
        try
        {
            for (int epoch = start.Epoch; epoch < endEpoch; epoch++)
            {
                int b = epoch == start.Epoch ? start.BatchIndex : 0;
                var samples = new List<LoaderSample>(_options.BatchSize);
                await foreach (var sample in _source.ReadEpochAsync(_options.Seed, epoch, b * _options.BatchSize, ct).ConfigureAwait(false))
                {
                    samples.Add(sample);
                    if (samples.Count < _options.BatchSize) continue;
                    await ScheduleBatchAsync(new PendingBatch(new LoaderPosition(epoch, b++), [.. samples]), ready, jobs, ct).ConfigureAwait(false);
                    samples.Clear();
                    if (b == BatchesPerEpoch) break;   // with dropLast, the rest of the epoch is dropped
                }
                if (samples.Count > 0 && b < BatchesPerEpoch)
                    await ScheduleBatchAsync(new PendingBatch(new LoaderPosition(epoch, b), [.. samples]), ready, jobs, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ready.TryComplete();
            jobs.TryComplete();
        }
    }

    private static async Task ScheduleBatchAsync(PendingBatch pending, ChannelWriter<PendingBatch> ready, ChannelWriter<PendingBatch> jobs, CancellationToken ct)
    {
        await ready.WriteAsync(pending, ct).ConfigureAwait(false);
        await jobs.WriteAsync(pending, ct).ConfigureAwait(false);
    }

    // Runs on a thread of its own: its one-thread tensor ops (set here, per OS thread) must not follow pool work elsewhere.
    private void Work(ChannelReader<PendingBatch> jobs, CancellationToken ct)
    {
        OpenMpThreads.LimitCurrentThread(1);
        while (jobs.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
        {
            while (jobs.TryRead(out var pending))
            {
                try
                {
                    pending.Result.TrySetResult(_finish(Decode(pending, ct)));
                }
                catch (Exception e)   // not swallowed: the consumer rethrows it when it awaits this batch
                {
                    pending.Result.TrySetException(e);
                }
            }
        }
    }

    private ImageBatch Decode(PendingBatch pending, CancellationToken ct)
    {
        var images = new List<Tensor>(pending.Samples.Length);
        try
        {
            foreach (var sample in pending.Samples)
            {
                ct.ThrowIfCancellationRequested();
                images.Add(sample.Decode());
            }
        }
        catch
        {
            foreach (var image in images) image.Dispose();
            throw;
        }
        var labels = _source.HasLabels ? pending.Samples.Select(s => s.Label ?? throw new InvalidDataException($"{s.Name} has no label.")).ToArray() : null;
        return new ImageBatch(images, [.. pending.Samples.Select(s => s.Index)], labels, pending.Position);
    }

    // A batch taken from the queue but never handed out: a worker may still finish it, and then it is ours to dispose.
    private static void DisposeIfDecoded(PendingBatch pending) =>
        pending.Result.Task.ContinueWith(done => done.Result.Dispose(), CancellationToken.None,
                                         TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                                         TaskScheduler.Default);

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the reader stopped or was cancelled.
        }
    }

    /// <summary>A scheduled batch; its result is set by whichever worker decodes it.</summary>
    private sealed record PendingBatch(LoaderPosition Position, LoaderSample[] Samples)
    {
        public TaskCompletionSource<TBatch> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
