using System.Text.Json;
using Scrl.Core.Data.Coco;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Evaluation;

[Trait("Category", "Shared")]
public sealed class CocoTinyRoiEvalTests
{
    [Fact]
    public void CocoTiny_EndToEnd_CountsEveryBoxAndReportsCocoIds()
    {
        string root = SharedData.Folder("data/coco-tiny");
        using var output = new TempDirectory();
        var options = new RoiEvalOptions { ImageSize = 64, Epochs = 1, ImageBatch = 8 };
        var data = RoiEvalData.Load(CocoSplitLocation.Parse(root, CocoLayout.Train), CocoSplitLocation.Parse(root, CocoLayout.Val), options);
        using var backbone = EvalBackbone.Load(EvalBackbone.RandomSpec, ResNetVariant.ResNet18, seed: 0, CPU);

        var report = new RoiEvaluator(options).Run(backbone.Module, backbone.DisplayName, null, data.Train, data.Val, data.Categories);
        var (json, chart) = RoiEvalReportWriter.Write(report, output.Path);

        using var coco = JsonDocument.Parse(File.ReadAllText(CocoLayout.AnnotationFile(root, CocoLayout.Val)));
        var annotations = coco.RootElement.GetProperty("annotations").EnumerateArray().ToList();
        int crowd = annotations.Count(a => a.GetProperty("iscrowd").GetInt32() != 0);
        Assert.Equal(annotations.Count, report.Counts.ValRois + crowd + report.Counts.ValDegenerateSkipped);
        Assert.Equal(crowd, report.Counts.ValCrowdExcluded);
        var cocoIds = coco.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        Assert.All(report.Scores.PerClass, c => Assert.Contains(c.CategoryId, cocoIds));
        Assert.Equal(report.Counts.ValRois, report.Scores.BySize.Sum(s => s.Count));
        Assert.InRange(report.Scores.Top1, 0, 1);
        Assert.True(new FileInfo(chart).Length > 1000);
        Assert.Contains("\"top1\"", File.ReadAllText(json));
    }
}
