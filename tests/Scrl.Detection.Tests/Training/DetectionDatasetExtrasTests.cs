using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Synthetic;
using Scrl.Detection.Masks;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Training;

/// <summary>Masks and keypoints as training targets: rasterised from the annotations, mirrored by a flip, and refused up front when missing.</summary>
public class DetectionDatasetExtrasTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("figures").FullName;
    private readonly ImageDataset _figures;

    public DetectionDatasetExtrasTests()
    {
        string root = Path.Combine(_root, "set");
        SyntheticFiguresDataset.Generate(new SyntheticDatasetOptions { Seed = 2, TrainImages = 3, ValImages = 0, MinSide = 96, MaxSide = 128, MaxShapesPerImage = 2 },
                                         root, null, CancellationToken.None);
        _figures = DatasetReaders.Read(DatasetFormat.CocoKeypoints, root, CocoLayout.Train);
    }

    [Fact]
    public void Load_Masks_AreThePolygonsRasterised_AndAFlipMirrorsThem()
    {
        var data = new DetectionDataset(_figures, training: true, TargetExtras.Masks);
        var record = data.Records[0];
        using var scope = NewDisposeScope();

        var (_, target) = data.Load(0, flip: false);
        var (_, flipped) = data.Load(0, flip: true);

        Assert.Null(target.Keypoints);
        Assert.Equal(new long[] { record.Instances.Count, record.Height, record.Width }, target.Masks!.shape);
        Assert.Equal(ScalarType.Byte, target.Masks.dtype);
        for (int g = 0; g < record.Instances.Count; g++)
        {
            var expected = CocoMasks.Rasterize(record.Instances[g].Segmentation!, record.Height, record.Width);
            Assert.Equal(expected, target.Masks[g].contiguous().data<byte>().ToArray());
        }
        Assert.True(target.Masks.flip(2).eq(flipped.Masks!).all().item<bool>());
    }

    [Fact]
    public void Load_Keypoints_FollowTheAnnotations_AndAFlipMirrorsXAndSwapsLeftAndRight()
    {
        var data = new DetectionDataset(_figures, training: true, TargetExtras.Keypoints);
        var record = data.Records[0];
        using var scope = NewDisposeScope();

        var (image, target) = data.Load(0, flip: false);
        var (_, flipped) = data.Load(0, flip: true);

        Assert.Null(target.Masks);
        var expected = record.Instances.SelectMany(i => i.Keypoints!.Select(v => (float)v)).ToArray();
        Assert.Equal(expected, target.Keypoints!.contiguous().data<float>().ToArray());
        Assert.Equal(new long[] { record.Instances.Count, CocoPersonKeypoints.Count, 3 }, target.Keypoints.shape);
        long width = image.shape[2];
        for (int j = 0; j < CocoPersonKeypoints.Count; j++)
        {
            int mirror = CocoPersonKeypoints.FlipPermutation[j];
            float x = target.Keypoints[0, mirror, 0].item<float>(), v = target.Keypoints[0, mirror, 2].item<float>();
            Assert.Equal(v == 0 ? 0 : width - x, flipped.Keypoints![0, j, 0].item<float>(), 1e-4f);
            Assert.Equal(v, flipped.Keypoints[0, j, 2].item<float>());
        }
    }

    [Fact]
    public void Training_ADatasetWithoutKeypointsOrMasks_IsRefusedBeforeAnyStep_NamingTheFirstInstance()
    {
        var shapes = TinyDetector.Read(TinyDetector.GenerateShapes(2, 0, seed: 3), CocoLayout.Train);
        var keypoints = Assert.Throws<InvalidDataException>(() => new DetectionDataset(shapes, training: true, TargetExtras.Keypoints));
        Assert.Contains("trains on keypoints", keypoints.Message);
        Assert.Contains($"image {shapes.Records[0].ImageId}", keypoints.Message);
        Assert.Contains("person_keypoints_<split>2017.json", keypoints.Message);

        var boxesOnly = shapes with { Records = [.. shapes.Records.Select(r => r with { Instances = [.. r.Instances.Select(i => i with { Segmentation = null })] })] };
        var masks = Assert.Throws<InvalidDataException>(() => new DetectionDataset(boxesOnly, training: true, TargetExtras.Masks));
        int count = boxesOnly.Records.Sum(r => r.Instances.Count);
        Assert.Contains($"{count} of the {count} training instances", masks.Message);
        Assert.Contains("has no segmentation", masks.Message);

        Assert.Equal(TargetExtras.None, new DetectionDataset(boxesOnly, training: false, TargetExtras.Masks).Extras);   // evaluation reads images only
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
