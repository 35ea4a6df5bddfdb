using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>Makes the two views of every image of a batch, each image's draws from its own random source.</summary>
public interface ITwoViewAugmenter
{
    /// <param name="imagesUint8">B uint8 images [3, H_b, W_b].</param>
    /// <param name="perSampleRng">One random source per image.</param>
    TwoViews Apply(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<IRandomSource> perSampleRng);
}
