using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Evaluation;

/// <summary>The image-level linear protocol on object crops of the generated shapes (8 classes).</summary>
public sealed class ImageLinearEvalTests(SyntheticRoiData data, ITestOutputHelper output) : IClassFixture<SyntheticRoiData>
{
    private static readonly RoiEvalOptions Options = new()
    {
        Variant = RoiEvalVariant.Image, ImageSize = 64, Epochs = 30, RoiBatch = 32, ImageBatch = 32, Seed = 1,
    };

    [Fact]
    public void ImageVariant_ObjectCropsOfGeneratedShapes_LearnsWellAboveChance()
    {
        var (train, val) = Crops();
        var splits = ImageFolderEvalData.Load(train, val, Options);
        using var backbone = EvalBackbone.Load(EvalBackbone.RandomSpec, ResNetVariant.ResNet18, Options.Seed, CPU);

        var report = new RoiEvaluator(Options).Run(backbone.Module, "random", null, splits.Train, splits.Val, splits.Categories);

        // Chance is the larger of 1/8 and the most frequent val class's share.
        var valLabels = splits.Val.Images.Select(i => i.Boxes[0].ClassIndex).ToList();
        double majority = valLabels.GroupBy(l => l).Max(g => g.Count()) / (double)valLabels.Count;
        double chance = Math.Max(1.0 / splits.Categories.Count, majority);
        output.WriteLine($"{splits.Train.RoiCount} train / {splits.Val.RoiCount} val crops, top-1 {report.Scores.Top1:F4}, chance {chance:F4}, loss {report.FinalTrainLoss:F4}");
        Assert.Equal(RoiEvalVariant.Image, report.Variant);
        // Measured: 0.405 against chance 0.183 (random frozen ResNet-18, 64 px crops); the bar leaves room for the seed.
        Assert.True(report.Scores.Top1 > chance + 0.15, $"top-1 {report.Scores.Top1:F3} vs chance {chance:F3}");
    }

    [Fact]
    public void ImageVariant_GlobalFeatures_AreTheAveragePooledC5()
    {
        var (train, _) = Crops();
        var split = ImageFolderEvalData.Load(train, train, Options).Train;
        using var backbone = EvalBackbone.Load(EvalBackbone.RandomSpec, ResNetVariant.ResNet18, 0, CPU);
        backbone.Module.eval();
        using var scope = NewDisposeScope();
        var batch = RoiImageBatch.Load([.. split.Images.Take(3)], Options);

        var features = new RoiFeatureExtractor(backbone.Module, Options).Extract(batch.Images, batch.Rois);   // [3, 512]

        using var noGrad = no_grad();
        var expected = backbone.Module.call(batch.Images).mean([2, 3]);
        Assert.True(features.allclose(expected, rtol: 0, atol: 1e-6), "Image-variant features must be C5 averaged over the image");
    }

    [Fact]
    public void Load_FolderWithoutClassSubfolders_SaysHowItMustBeLaidOut()
    {
        string flat = Directory.CreateDirectory(data.Scratch("flat-" + Guid.NewGuid().ToString("N"))).FullName;
        File.Copy(Directory.EnumerateFiles(Path.Combine(data.Root, "train2017")).First(), Path.Combine(flat, "a.jpg"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderEvalData.Load(flat, flat, Options));
        Assert.Contains("class subfolder", error.Message);
    }

    private (string Train, string Val) Crops()
    {
        string train = data.Scratch("crops-train"), val = data.Scratch("crops-val");
        lock (data)
        {
            if (!Directory.Exists(train))
            {
                ObjectCropWriter.Write(CocoSplitLocation.Parse(data.Root, CocoLayout.Train).Read(), train);
                ObjectCropWriter.Write(CocoSplitLocation.Parse(data.Root, CocoLayout.Val).Read(), val);
            }
        }
        return (train, val);
    }
}
