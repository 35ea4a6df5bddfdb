namespace Scrl.Core.Data.Loading;

/// <summary>Image files (<see cref="UnlabeledImageSource"/>) in a per-epoch <see cref="EpochPermutation"/>; each file is read on a decode thread.</summary>
public sealed class ImageListSampleSource(UnlabeledImageSource images) : IPretrainSampleSource
{
    private readonly UnlabeledImageSource _images = images ?? throw new ArgumentNullException(nameof(images));

    public string Description => _images.Description;

    public int SamplesPerEpoch => _images.Count;

    public bool HasLabels => _images.Labels is not null;

    public IReadOnlyList<string> ClassNames => _images.ClassNames;

    public IAsyncEnumerable<LoaderSample> ReadEpochAsync(long seed, int epoch, int firstSample, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        return Samples(EpochPermutation.Create(seed, epoch, _images.Count), firstSample).ToAsyncEnumerable();
    }

    private IEnumerable<LoaderSample> Samples(int[] order, int firstSample)
    {
        for (int k = firstSample; k < order.Length; k++)
            yield return LoaderSample.FromFile(order[k], _images.Labels?[order[k]], _images.Paths[order[k]]);
    }
}
