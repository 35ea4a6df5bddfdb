using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Boxes;

/// <summary>
/// Geometric guarantees of the sampler on random crop pairs. Boxes are sampled on the overlap rounded to whole
/// coarser-view pixels, so a box may overhang the overlap by at most half a coarser-view pixel; clipping to the
/// view removes that overhang. Every assertion below states exactly that slack.
/// </summary>
public class SpatialBoxGeneratorPropertyTests
{
    private const int Images = 30, Batches = 10, Size = 224;
    private const double Tolerance = 1e-3;   // coarser-view px; rois are float32

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Generate_RandomCrops_BoxPairsShowTheSameRegionAndRespectSizeAndOverlapLimits(bool gridBased)
    {
        var options = new BoxGenOptions { GridBased = gridBased };
        var generator = new SpatialBoxGenerator(options);
        int pairsChecked = 0, iouPairsChecked = 0, imagesWithBoxes = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            using var scope = NewDisposeScope();
            var crops = new SeededRandom((ulong)(1000 + batch));
            int height = crops.NextInt(64, 641), width = crops.NextInt(64, 641);
            var view1 = Enumerable.Range(0, Images).Select(_ => RandomCrop(crops, height, width)).ToArray();
            var view2 = Enumerable.Range(0, Images).Select(_ => RandomCrop(crops, height, width)).ToArray();

            var pairs = generator.Generate(view1, view2, new SeededRandom((ulong)batch));

            var rois1 = pairs.Rois1.data<float>().ToArray();
            var rois2 = pairs.Rois2.data<float>().ToArray();
            var iou = BoxOps.PairwiseIou(pairs.Rois1[.., 1..], pairs.Rois1[.., 1..]).data<float>().ToArray();   // [R, R]
            int rowCount = (int)pairs.Rois1.shape[0];
            Assert.Equal(rowCount, pairs.BoxesPerImage.Sum());
            int row = 0;
            for (int b = 0; b < Images; b++)
            {
                Assert.Equal(ExpectedBoxCount(view1[b], view2[b], options), pairs.BoxesPerImage[b]);
                if (pairs.BoxesPerImage[b] > 0) imagesWithBoxes++;
                int first = row;
                for (; row < first + pairs.BoxesPerImage[b]; row++, pairsChecked++)
                {
                    Assert.Equal(b, rois1[5 * row]);
                    Assert.Equal(b + Images, rois2[5 * row]);
                    AssertSameRegion(view1[b], view2[b], rois1.AsSpan(5 * row + 1, 4), rois2.AsSpan(5 * row + 1, 4), options);
                    // A kept, unclipped candidate passed IoU < threshold against every earlier box of its image.
                    if (pairs.IsFallback[row] || TouchesBorder(rois1.AsSpan(5 * row + 1, 4))) continue;
                    for (int earlier = first; earlier < row; earlier++, iouPairsChecked++)
                        Assert.True(iou[row * rowCount + earlier] < options.IouThreshold + 1e-5,
                            $"image {b}: IoU {iou[row * rowCount + earlier]} between rows {earlier} and {row}");
                }
            }
        }
        // The sample must exercise the properties, not pass vacuously.
        Assert.True(imagesWithBoxes > Images * Batches / 2, $"only {imagesWithBoxes} images got boxes");
        Assert.True(iouPairsChecked > 10 * imagesWithBoxes, $"only {iouPairsChecked} IoU pairs checked");
        Assert.Equal(pairsChecked, imagesWithBoxes * options.BoxesPerImage);
    }

    [Fact]
    public void Generate_SameSeed_SameBoxes()
    {
        using var scope = NewDisposeScope();
        var generator = new SpatialBoxGenerator(new BoxGenOptions());
        var crops = new SeededRandom(7);
        var view1 = Enumerable.Range(0, 8).Select(_ => RandomCrop(crops, 300, 400)).ToArray();
        var view2 = Enumerable.Range(0, 8).Select(_ => RandomCrop(crops, 300, 400)).ToArray();
        var a = generator.Generate(view1, view2, new SeededRandom(3));
        var b = generator.Generate(view1, view2, new SeededRandom(3));
        Assert.True(a.Rois1.shape[0] > 0);
        Assert.Equal(a.Rois1.data<float>().ToArray(), b.Rois1.data<float>().ToArray());
        Assert.Equal(a.Rois2.data<float>().ToArray(), b.Rois2.data<float>().ToArray());
    }

    [Fact]
    public void Generate_DisjointViews_NoBoxesAndEmptyRoiTensors()
    {
        using var scope = NewDisposeScope();
        var pairs = new SpatialBoxGenerator(new BoxGenOptions()).Generate(
            [new ViewGeometry(0, 0, 100, 100, false)], [new ViewGeometry(0, 100, 100, 100, true)], new SeededRandom(1));
        Assert.Equal([0], pairs.BoxesPerImage);
        Assert.Equal(new long[] { 0, 5 }, pairs.Rois1.shape);
        Assert.Equal(new long[] { 0, 5 }, pairs.Rois2.shape);
    }

    /// <summary>Maps both boxes back to original px: they agree once clipped to the crops' overlap, stay within
    /// the overlap plus the rounding overhang, and are at least MinSize coarser-view px wide and tall in each
    /// view less what clipping removed.</summary>
    private static void AssertSameRegion(ViewGeometry v1, ViewGeometry v2, ReadOnlySpan<float> box1, ReadOnlySpan<float> box2, BoxGenOptions options)
    {
        double coarseX = Math.Min((double)Size / v1.Width, (double)Size / v2.Width);
        double coarseY = Math.Min((double)Size / v1.Height, (double)Size / v2.Height);
        double left = Math.Max(v1.Left, v2.Left), right = Math.Min(v1.Left + v1.Width, v2.Left + v2.Width);
        double top = Math.Max(v1.Top, v2.Top), bottom = Math.Min(v1.Top + v1.Height, v2.Top + v2.Height);
        var (a, b) = (ToOriginal(v1, box1), ToOriginal(v2, box2));
        foreach (var r in new[] { a, b })
        {
            double overhangX = 0.5 / coarseX + Tolerance / coarseX, overhangY = 0.5 / coarseY + Tolerance / coarseY;
            Assert.True(r.X1 >= left - overhangX && r.X2 <= right + overhangX && r.Y1 >= top - overhangY && r.Y2 <= bottom + overhangY,
                $"region {r} outside overlap x [{left}, {right}] y [{top}, {bottom}]");
            // Sampled >= MinSize coarser px; clipping removes at most the half-pixel overhang.
            Assert.True((r.X2 - r.X1) * coarseX >= options.MinSize - 0.5 - Tolerance, $"region {r} too narrow");
            Assert.True((r.Y2 - r.Y1) * coarseY >= options.MinSize - 0.5 - Tolerance, $"region {r} too short");
        }
        Assert.True(Math.Abs(Math.Clamp(a.X1, left, right) - Math.Clamp(b.X1, left, right)) * coarseX <= Tolerance, $"x1: {a} vs {b}");
        Assert.True(Math.Abs(Math.Clamp(a.X2, left, right) - Math.Clamp(b.X2, left, right)) * coarseX <= Tolerance, $"x2: {a} vs {b}");
        Assert.True(Math.Abs(Math.Clamp(a.Y1, top, bottom) - Math.Clamp(b.Y1, top, bottom)) * coarseY <= Tolerance, $"y1: {a} vs {b}");
        Assert.True(Math.Abs(Math.Clamp(a.Y2, top, bottom) - Math.Clamp(b.Y2, top, bottom)) * coarseY <= Tolerance, $"y2: {a} vs {b}");
    }

    /// <summary>Undoes flip, resize and crop: view px xyxy -> original-image px xyxy.</summary>
    private static (double X1, double Y1, double X2, double Y2) ToOriginal(ViewGeometry view, ReadOnlySpan<float> box)
    {
        double x1 = box[0], x2 = box[2];
        if (view.Flipped) (x1, x2) = (Size - x2, Size - x1);
        double perPixelX = (double)view.Width / Size, perPixelY = (double)view.Height / Size;
        return (view.Left + x1 * perPixelX, view.Top + box[1] * perPixelY, view.Left + x2 * perPixelX, view.Top + box[3] * perPixelY);
    }

    private static bool TouchesBorder(ReadOnlySpan<float> box) =>
        box[0] <= 0 || box[1] <= 0 || box[2] >= Size || box[3] >= Size;

    /// <summary>The reference's rule: K boxes when the overlap, in coarser-view px (banker's rounding), exceeds
    /// MinSize on both sides; none otherwise.</summary>
    private static int ExpectedBoxCount(ViewGeometry v1, ViewGeometry v2, BoxGenOptions options)
    {
        int overlapW = Math.Min(v1.Left + v1.Width, v2.Left + v2.Width) - Math.Max(v1.Left, v2.Left);
        int overlapH = Math.Min(v1.Top + v1.Height, v2.Top + v2.Height) - Math.Max(v1.Top, v2.Top);
        if (overlapW <= 0 || overlapH <= 0) return 0;
        double scaledW = Math.Round(overlapW * Math.Min((double)Size / v1.Width, (double)Size / v2.Width));
        double scaledH = Math.Round(overlapH * Math.Min((double)Size / v1.Height, (double)Size / v2.Height));
        return scaledW > options.MinSize && scaledH > options.MinSize ? options.BoxesPerImage : 0;
    }

    /// <summary>A RandomResizedCrop-like crop: area 20-100 %, aspect 3/4-4/3, anywhere, flipped half the time.</summary>
    private static ViewGeometry RandomCrop(SeededRandom rng, int height, int width)
    {
        double area = height * width * rng.Uniform(0.2, 1.0), aspect = Math.Exp(rng.Uniform(Math.Log(3.0 / 4), Math.Log(4.0 / 3)));
        int w = Math.Clamp((int)Math.Round(Math.Sqrt(area * aspect)), 1, width);
        int h = Math.Clamp((int)Math.Round(Math.Sqrt(area / aspect)), 1, height);
        return new ViewGeometry(rng.NextInt(0, height - h + 1), rng.NextInt(0, width - w + 1), h, w, rng.Bernoulli(0.5));
    }
}
