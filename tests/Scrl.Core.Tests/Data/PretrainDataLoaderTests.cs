using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Data;

public sealed class PretrainDataLoaderTests : IDisposable
{
    private const int ImageCount = 10;
    private readonly TempDirectory _folder = new();
    private readonly UnlabeledImageSource _source;

    public PretrainDataLoaderTests()
    {
        // Image i is (20 + i) pixels wide, so a decoded tensor shows which sample it came from.
        for (int i = 0; i < ImageCount; i++)
            File.WriteAllBytes(_folder.Combine($"{i:D2}.jpg"), TestImages.NoiseJpeg(width: 20 + i, height: 8, seed: i));
        _source = UnlabeledImageSource.FromImageFolder(_folder.Path);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_SameSeed_SameOrderForAnyWorkerCount()
    {
        var options = new PretrainDataLoaderOptions { BatchSize = 3, Seed = 11, DropLast = false, DecodeWorkers = 1, PrefetchBatches = 1 };
        var serial = await ReadAllSamples(PretrainDataLoader.Create(_source, options), LoaderPosition.Start, endEpoch: 3);
        var parallel = await ReadAllSamples(PretrainDataLoader.Create(_source, options with { DecodeWorkers = 4, PrefetchBatches = 3 }),
                                            LoaderPosition.Start, endEpoch: 3);

        Assert.Equal(serial, parallel);
        Assert.Equal(3 * 4, serial.Count);                           // ceil(10 / 3) batches per epoch
        var epochs = serial.Chunk(4).Select(e => e.SelectMany(b => b).ToList()).ToList();
        Assert.All(epochs, e => Assert.Equal(Enumerable.Range(0, ImageCount).Select(i => (long)i), e.Order()));
        Assert.NotEqual(epochs[0], epochs[1]);                       // each epoch has its own permutation
    }

    [Fact]
    public async Task ReadAsync_Images_MatchTheirSampleIndices()
    {
        var loader = PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 4, DecodeWorkers = 2 });
        await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: 1))
        {
            using (batch)
            {
                Assert.Equal(4, batch.Images.Count);
                for (int k = 0; k < batch.Images.Count; k++)
                {
                    Assert.Equal(ScalarType.Byte, batch.Images[k].dtype);
                    Assert.Equal(new long[] { 3, 8, 20 + batch.SampleIndices[k] }, batch.Images[k].shape);
                }
            }
        }
    }

    [Fact]
    public async Task ReadAsync_DropLast_SkipsIncompleteBatch()
    {
        var loader = PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 4, DropLast = true });
        var batches = await ReadAllSamples(loader, LoaderPosition.Start, endEpoch: 1);
        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal([4, 4], batches.Select(b => b.Count));
        Assert.Equal(new LoaderPosition(1, 0), loader.Position);
    }

    [Fact]
    public async Task ReadAsync_FromSavedPosition_RepeatsTheRemainingBatches()
    {
        var options = new PretrainDataLoaderOptions { BatchSize = 3, Seed = 5, DropLast = true, DecodeWorkers = 3 };
        var reference = await ReadAllSamples(PretrainDataLoader.Create(_source, options), LoaderPosition.Start, endEpoch: 3);

        // Stop after 4 batches (inside epoch 1), as a crash after the 4th step's checkpoint would.
        var interrupted = PretrainDataLoader.Create(_source, options);
        int consumed = 0;
        await foreach (var batch in interrupted.ReadAsync(LoaderPosition.Start, endEpoch: 3))
        {
            batch.Dispose();
            if (++consumed == 4) break;
        }
        LoaderPosition saved = interrupted.Position;
        Assert.Equal(new LoaderPosition(1, 1), saved);

        var resumed = await ReadAllSamples(PretrainDataLoader.Create(_source, options), saved, endEpoch: 3);
        Assert.Equal(reference.Skip(4), resumed);
    }

    [Fact]
    public async Task ReadAsync_Transform_GetsEpochAndOwnsOnlyItsOutput()
    {
        var inputs = new List<Tensor>();
        var loader = PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 5, DecodeWorkers = 2 },
            batch =>
            {
                lock (inputs) inputs.AddRange(batch.Images);
                var widths = tensor(batch.Images.Select(i => i.shape[2]).ToArray());   // [B]
                return new WidthBatch(widths, [.. batch.SampleIndices], batch.Position.Epoch);
            });

        await foreach (var batch in loader.ReadAsync(new LoaderPosition(2, 0), endEpoch: 3))
        {
            using (batch)
            {
                Assert.Equal(2, batch.Epoch);
                Assert.Equal(batch.Samples.Select(s => 20 + s), batch.Widths.data<long>().ToArray());
            }
        }
        Assert.Equal(ImageCount, inputs.Count);
        Assert.All(inputs, t => Assert.True(t.IsInvalid, "the loader disposes the decoded images once transformed"));
    }

    [Fact]
    public async Task ReadAsync_CorruptImage_ThrowsNamingTheFile()
    {
        string bad = _folder.Combine("05.jpg");
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..40]);
        var loader = PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 2, DecodeWorkers = 3 });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllSamples(loader, LoaderPosition.Start, endEpoch: 1));
        Assert.Contains(bad, error.Message);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_StopsAndCanBeReadAgain()
    {
        var loader = PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 2, DecodeWorkers = 2, PrefetchBatches = 2 });
        using var cts = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: int.MaxValue, cts.Token))
            {
                batch.Dispose();
                if (++seen == 2) await cts.CancelAsync();
            }
        });
        Assert.Equal(2, seen);
        Assert.Equal(new LoaderPosition(0, 2), loader.Position);

        // Workers have stopped and the reader slot is free again, so a second read starts cleanly.
        var again = await ReadAllSamples(loader, LoaderPosition.Start, endEpoch: 1);
        Assert.Equal(5, again.Count);
    }

    /// <summary>
    /// Cancelling while batches are in flight, at every point of the pipeline: a batch queued for the consumer but not
    /// yet for the workers (the producer was cancelled between the two) once left the consumer waiting forever.
    /// Each read must end, by cancellation, within the bound.
    /// </summary>
    [Fact]
    public async Task ReadAsync_CancelledAtAnyPoint_AlwaysEnds()
    {
        var options = new PretrainDataLoaderOptions { BatchSize = 1, DecodeWorkers = 1, PrefetchBatches = 1 };
        for (int round = 0; round < 300; round++)
        {
            var loader = PretrainDataLoader.Create(_source, options with { DecodeWorkers = 1 + round % 2 });
            using var cts = new CancellationTokenSource();
            int cancelAfter = 1 + round % 3;
            Task read = Task.Run(async () =>
            {
                int seen = 0;
                await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: int.MaxValue, cts.Token))
                {
                    batch.Dispose();
                    if (++seen == cancelAfter) cts.Cancel();
                }
            });
            var ended = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(ended == read, $"round {round}: the read did not end after its cancellation");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        }
    }

    [Fact]
    public void Create_FewerImagesThanOneBatch_Throws() =>
        Assert.Throws<ArgumentException>(() => PretrainDataLoader.Create(_source, new PretrainDataLoaderOptions { BatchSize = 11 }));

    private static async Task<List<List<long>>> ReadAllSamples(PretrainDataLoader<ImageBatch> loader, LoaderPosition start, int endEpoch)
    {
        var batches = new List<List<long>>();
        await foreach (var batch in loader.ReadAsync(start, endEpoch))
            using (batch)
                batches.Add([.. batch.SampleIndices]);
        return batches;
    }

    private sealed record WidthBatch(Tensor Widths, long[] Samples, int Epoch) : IDisposable
    {
        public void Dispose() => Widths.Dispose();
    }
}
