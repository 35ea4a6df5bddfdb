using Scrl.Detection.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Training;

public class CropAugmentationTests
{
    [Fact]
    public void Crop_CutsA384To600Window_AndMovesEveryBoxWithTheContentUnderIt()
    {
        // A 480x640 image whose only bright pixels are the box [100, 80, 300, 240): the box must cover them after the crop.
        var image = zeros(3, 480, 640);
        image[.., 80..240, 100..300] = tensor(1f);
        var target = new DetectionTarget(tensor(new float[,] { { 100, 80, 300, 240 } }), tensor(new long[] { 3 }));
        for (ulong seed = 0; seed < 20; seed++)
        {
            using var scope = NewDisposeScope();
            var (cropped, kept) = CropAugmentation.Apply(image, target, new Generator(seed, CPU));

            Assert.InRange(cropped.shape[1], 384, 600);
            Assert.InRange(cropped.shape[2], 384, 600);
            var bright = nonzero(cropped[0] > 0.5f);                                              // [B, 2] (y, x)
            if (bright.shape[0] == 0)
            {
                Assert.Equal(0, kept.Boxes.shape[0]);
                continue;
            }
            Assert.Equal([3L], kept.Labels.data<long>().ToArray());
            var box = kept.Boxes[0].data<float>().ToArray();
            // Bilinear resizing blurs the edges by a pixel; the box follows the scaled content within that.
            Assert.InRange(bright[.., 1].min().item<long>(), box[0] - 1.5, box[0] + 1.5);
            Assert.InRange(bright[.., 0].min().item<long>(), box[1] - 1.5, box[1] + 1.5);
            Assert.InRange(bright[.., 1].max().item<long>() + 1, box[2] - 1.5, box[2] + 1.5);
            Assert.InRange(bright[.., 0].max().item<long>() + 1, box[3] - 1.5, box[3] + 1.5);
        }
    }

    [Fact]
    public void Crop_OfATargetWithMasks_IsRefused()
    {
        var target = new DetectionTarget(tensor(new float[,] { { 0, 0, 10, 10 } }), tensor(new long[] { 1 }), Masks: zeros(1, 20, 20, ScalarType.Byte));

        var error = Assert.Throws<ArgumentException>(() => CropAugmentation.Apply(zeros(3, 20, 20), target, new Generator(0, CPU)));

        Assert.Contains("boxes only", error.Message, StringComparison.Ordinal);
    }
}
