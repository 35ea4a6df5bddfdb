using System.Text.Json;
using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation.Cityscapes;
using Scrl.Detection.Tests.Evaluation;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using SkiaSharp;

namespace Scrl.Detection.Tests.Training;

/// <summary>
/// cityscapes-instances end to end, from the dataset on disk to cityscapesScripts' metrics: the golden set's
/// instanceIds frames, given polygons (each instance's bounding rectangle) and images, read by the Cityscapes reader
/// and scored by the task's evaluation with a mask model's detections.
/// </summary>
public sealed class CityscapesTaskEvaluationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cityscapes").FullName;

    [Fact]
    public void Run_MaskModelOnACityscapesSplit_ScoresEveryFrameWithCityscapesMetrics_AndWritesRleResults()
    {
        foreach (string file in CityscapesGolden.Load().GroundTruthFiles()) AddFrame(file);
        var split = new DetectionSplit(DatasetFormat.Cityscapes, _root, "val");
        var dataset = split.Read();
        TorchSharp.torch.random.manual_seed(3);
        var options = TinyMaskRcnn.Options(dataset.Categories.Count + 1);
        using var model = MaskRcnn.FromOptions(options with { BoxHead = options.BoxHead with { ScoreThreshold = 0 } });   // random weights: keep every detection

        var (scores, detections) = TaskEvaluation.Run(FinetuneTask.CityscapesInstances, split, dataset, model, batchSize: 2);

        Assert.Equal(["cityscapes/AP", "cityscapes/AP50", "cityscapes/AP75"], scores.Metrics.Keys.Order());
        Assert.All(scores.Metrics.Values, v => Assert.InRange(v, 0, 100));
        Assert.Equal(scores.AP, scores.Metrics["cityscapes/AP"]);
        Assert.Contains("Cityscapes instance-level", scores.Summary);
        Assert.Contains("person", scores.Summary);
        Assert.Equal(dataset.Records.Count, detections.Select(d => d.ImageId).Distinct().Count());
        Assert.All(detections, d => Assert.Equal((64, 128), (d.Segmentation!.Height, d.Segmentation.Width)));
        Assert.All(detections, d => Assert.Contains(d.CategoryId, CityscapesDatasetReader.Categories.Select(c => c.Id)));
    }

    /// <summary>The frame's polygons json (bounding rectangles of its instances) and a grey image beside its instanceIds PNG.</summary>
    private void AddFrame(string instanceIds)
    {
        var truth = CityscapesGroundTruth.Read(instanceIds);
        string city = Path.GetFileName(Path.GetDirectoryName(instanceIds)!);
        string stem = Path.GetFileName(instanceIds)[..^"_gtFine_instanceIds.png".Length];
        string gt = Directory.CreateDirectory(Path.Combine(_root, "gtFine", "val", city)).FullName;
        string images = Directory.CreateDirectory(Path.Combine(_root, "leftImg8bit", "val", city)).FullName;
        File.Copy(instanceIds, Path.Combine(gt, Path.GetFileName(instanceIds)));

        var ids = truth.Ids.ToArray();
        var objects = truth.Regions.Where(r => r.IsInstance && CityscapesLabels.Find(r.LabelId)?.HasInstances == true).Select(r =>
        {
            int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
            for (int i = 0; i < ids.Length; i++)
            {
                if (ids[i] != r.InstanceId) continue;
                (int x, int y) = (i % truth.Width, i / truth.Width);
                (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
            }
            return new { label = CityscapesLabels.Find(r.LabelId)!.Name, polygon = new[] { new[] { x0, y0 }, [x1, y0], [x1, y1], [x0, y1] } };
        }).ToList();
        File.WriteAllText(Path.Combine(gt, stem + "_gtFine_polygons.json"),
                          JsonSerializer.Serialize(new { imgHeight = truth.Height, imgWidth = truth.Width, objects }));
        using var bitmap = new SKBitmap(truth.Width, truth.Height);
        bitmap.Erase(new SKColor(90, 110, 130));
        File.WriteAllBytes(Path.Combine(images, stem + "_leftImg8bit.png"), bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
