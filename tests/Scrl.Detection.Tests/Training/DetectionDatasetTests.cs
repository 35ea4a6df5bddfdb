using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;

namespace Scrl.Detection.Tests.Training;

/// <summary>
/// Images torchvision's reference scripts drop from COCO training (_coco_remove_images_without_annotations): none
/// with no box, none with only crowd boxes. We skip and count them; evaluation keeps every image.
/// </summary>
public class DetectionDatasetTests
{
    private static readonly ImageDataset Shapes = TinyDetector.Read(TinyDetector.GenerateShapes(4, 1, seed: 5), CocoLayout.Train);

    [Fact]
    public void Training_ImagesWithoutBoxesOrOnlyCrowd_AreSkippedAndCounted()
    {
        var records = Shapes.Records;
        var dataset = Shapes with
        {
            Records = [records[0], records[1] with { Instances = [] }, records[2] with { Instances = [.. records[2].Instances.Select(i => i with { IsCrowd = true })] }, records[3]],
        };

        var train = new DetectionDataset(dataset, training: true);
        var eval = new DetectionDataset(dataset, training: false);

        Assert.Equal(2, train.SkippedImages);
        Assert.Equal([records[0].ImageId, records[3].ImageId], train.Records.Select(r => r.ImageId));
        Assert.Equal(0, eval.SkippedImages);
        Assert.Equal(4, eval.Records.Count);
    }

    [Fact]
    public void Load_CrowdBoxBesideNormalBoxes_DropsOnlyTheCrowdBox()
    {
        var record = Shapes.Records.First(r => r.Instances.Count == 2);
        var dataset = Shapes with { Records = [record with { Instances = [record.Instances[0] with { IsCrowd = true }, record.Instances[1]] }] };

        var (image, target) = new DetectionDataset(dataset, training: true).Load(0, flip: false);

        Assert.Equal([1L, 4L], target.Boxes.shape);
        Assert.Equal((float)record.Instances[1].Box.X1, target.Boxes[0, 0].item<float>());
        image.Dispose();
        target.Boxes.Dispose();
        target.Labels.Dispose();
    }

    [Fact]
    public void Trainer_OnlyUnusableImages_ThrowsWithTheSkippedCount()
    {
        var dataset = Shapes with { Records = [.. Shapes.Records.Select(r => r with { Instances = [] })] };
        var train = new DetectionDataset(dataset, training: true);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses));

        var error = Assert.Throws<ArgumentException>(() => new DetectionTrainer(model, train, new FinetuneOptions()));

        Assert.StartsWith("nothing to train on: all 4 images lack a non-crowd box of positive area", error.Message);
    }
}
