using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// torchvision <c>gaussian_blur</c> (reflect padding, kernel from linspace) with a sigma per image, as two
/// separable grouped convolutions over the whole batch. TorchVision.NET's gaussian_blur is broken (no exp).
/// </summary>
/// <remarks>Shapes: B images, n of them blurred, k kernel taps; images are [B, 3, H, W] float.</remarks>
public static class GaussianBlur
{
    /// <param name="kernelSize">Odd number of taps k, with k / 2 smaller than H and W.</param>
    /// <param name="sigmas">Per image, its sigma, or null to leave it unchanged.</param>
    /// <returns>[B, 3, H, W].</returns>
    public static Tensor Apply(Tensor images, int kernelSize, IReadOnlyList<double?> sigmas)
    {
        ArgumentNullException.ThrowIfNull(sigmas);
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "must be odd and positive");
        if (images.shape[0] != sigmas.Count)
            throw new ArgumentException($"{sigmas.Count} sigmas for a batch of {images.shape[0]}", nameof(sigmas));
        var selected = Enumerable.Range(0, sigmas.Count).Where(n => sigmas[n].HasValue).ToArray();
        if (selected.Length == 0) return images.alias();
        using var scope = NewDisposeScope();
        var index = tensor(selected.Select(n => (long)n).ToArray(), device: images.device);                  // [n]
        var sigma = tensor(selected.Select(n => sigmas[n]!.Value).ToArray(), dtype: images.dtype, device: images.device);
        var blurred = Blur(images.index_select(0, index), kernelSize, sigma);                                 // [n, 3, H, W]
        return images.index_copy(0, index, blurred).MoveToOuterDisposeScope();
    }

    /// <summary>Blurs every image of [n, C, H, W] with its own sigma ([n]).</summary>
    public static Tensor Blur(Tensor images, int kernelSize, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var kernel = Kernels(kernelSize, sigma).repeat_interleave(c, dim: 0);   // [n*C, k]: one row per channel
        int pad = kernelSize / 2;
        // Each (image, channel) is its own group, so one conv per direction blurs the whole batch.
        var planes = nn.functional.pad(images.reshape(1, n * c, h, w), [pad, pad, pad, pad], TorchSharp.PaddingModes.Reflect); // [1, n*C, H+2p, W+2p]
        var rows = nn.functional.conv2d(planes, kernel.view(n * c, 1, 1, kernelSize), groups: n * c);   // [1, n*C, H+2p, W]
        var both = nn.functional.conv2d(rows, kernel.view(n * c, 1, kernelSize, 1), groups: n * c);     // [1, n*C, H, W]
        return both.view(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision _get_gaussian_kernel1d per sigma: exp(-x^2 / 2 sigma^2), normalised.</summary>
    /// <returns>[n, k].</returns>
    public static Tensor Kernels(int kernelSize, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        double half = (kernelSize - 1) * 0.5;
        var x = linspace(-half, half, kernelSize, dtype: sigma.dtype, device: sigma.device).unsqueeze(0);   // [1, k]
        var pdf = (-0.5 * (x / sigma.unsqueeze(1)).pow(2)).exp();                                            // [n, k]
        return (pdf / pdf.sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }
}
