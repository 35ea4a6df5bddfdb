using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Training;

// Seeds torch's process-wide generator for the model's initial weights and sets the thread count, so it runs alone.
[Collection(SerialCollection.Name)]
public class CocoTinyLearningTests(ITestOutputHelper output)
{
    private const int ImageSize = 224;

    /// <summary>
    /// Learning check on real photos: a random tiny R18-FPN Faster R-CNN trained on the coco-tiny train images with
    /// at most 4 objects of at least 48 px (16 images, 23 categories) at 224 px for 200 steps must detect them:
    /// training-set AP50 well above the untrained model's (0.80 against 0.00 here). 0.7-1 s/step on one thread of a
    /// busy 2-core machine, about 3 minutes in all.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void Finetune_CocoTinyTrain_TrainingAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain();
        var train = new DetectionDataset(dataset, training: true);
        TorchSharp.torch.random.manual_seed(1);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses) with
        {
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        AssertLearns(model, dataset, annotations, Schedule(baseLearningRate: 0.01, steps: 200), minimumAp50: 0.4, minimumRise: 0.3);
    }

    /// <summary>
    /// The same check for a one-stage detector: a random R18-FPN RetinaNet (32-channel FPN and heads) on the same 16
    /// images at 224 px, every object relabelled "object". Its dense focal loss starts every anchor at the prior's 1%
    /// and learns 80 classes from 16 images slowly (training-set AP50 0.09 after 800 steps with a 64-channel FPN); one
    /// class reaches 0.27 in 400 steps (0.00 untrained), about 3 minutes.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void FinetuneRetinaNet_CocoTinyTrainAsOneClass_TrainingAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain(oneClass: true);
        var train = new DetectionDataset(dataset, training: true);
        TorchSharp.torch.random.manual_seed(1);
        using var model = RetinaNet.FromOptions(new RetinaNetOptions
        {
            NumClasses = train.NumClasses,
            Backbone = RetinaNetOptions.BackboneLayout with
            {
                Variant = Core.Models.ResNetVariant.ResNet18, Norm = Backbones.BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 32,
            },
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        AssertLearns(model, dataset, annotations, Schedule(baseLearningRate: 0.01, steps: 400), minimumAp50: 0.15, minimumRise: 0.15);
    }

    /// <summary>
    /// The mask branch learns too: a random tiny R18-FPN Mask R-CNN (32-channel FPN and two-layer mask head) on the
    /// same 16 images at 224 px for 200 steps must segment them: training-set mask AP50 well above the untrained
    /// model's (0.48 against 0.00 here, mask AP 0.28), about 2 minutes.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void FinetuneMaskRcnn_CocoTinyTrain_TrainingMaskAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain();
        var train = new DetectionDataset(dataset, training: true, TargetExtras.Masks);
        TorchSharp.torch.random.manual_seed(1);
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(train.NumClasses) with
        {
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        new LearningCheck(output).AssertLearns(model, dataset, annotations, CocoIouType.Segm, Schedule(baseLearningRate: 0.01, steps: 200),
                                               minimumAp50: 0.3, minimumRise: 0.25);
    }

    /// <summary>
    /// Set prediction learns too: a random tiny Sparse R-CNN (R18-FPN, 64-wide proposals, 50 of them, the authors' six
    /// stages and deep supervision, AdamW with clipping) on the same 16 images at 224 px, every object relabelled
    /// "object", must find them without NMS: training-set AP50 well above the untrained model's (0.24 against 0.00
    /// after 300 steps here, AP 0.08; its loss 55.7 -> 15.2), 0.5-2 s a step on one thread of a busy 2-core machine.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void FinetuneSparseRcnn_CocoTinyTrainAsOneClass_TrainingAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain(oneClass: true);
        var train = new DetectionDataset(dataset, training: true);
        TorchSharp.torch.random.manual_seed(1);
        using var model = SparseRcnn.FromOptions(TinySparseRcnn.Options(train.NumClasses) with
        {
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        AssertLearns(model, dataset, annotations, TinySparseRcnn.Schedule(Schedule(baseLearningRate: 2e-4, steps: 300)), minimumAp50: 0.15, minimumRise: 0.15);
    }

    private static (ImageDataset Dataset, string Annotations) CocoTinyTrain(bool oneClass = false)
    {
        string images = SharedReference.PathOf("data/coco-tiny/train2017");
        string annotations = CocoTinySubset.Write(SharedReference.PathOf("data/coco-tiny/annotations/instances_train2017.json"), maxObjects: 4, minSide: 48, oneClass);
        return (CocoDatasetReader.Read(annotations, images), annotations);
    }

    private static FinetuneOptions Schedule(double baseLearningRate, long steps) => LearningCheck.Schedule(baseLearningRate, steps, ImageSize);

    private void AssertLearns(Detector model, ImageDataset dataset, string annotations, FinetuneOptions options, double minimumAp50, double minimumRise) =>
        new LearningCheck(output).AssertLearns(model, dataset, annotations, CocoIouType.Bbox, options, minimumAp50, minimumRise);
}
