using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class CocoEvaluatorTests(ITestOutputHelper output)
{
    private static CocoGroundTruth SyntheticGt() => CocoGroundTruth.Load(GoldenFiles.PathOf("cocoeval-synthetic/gt.json"));

    [Fact]
    public void Evaluate_EmptyResults_GivesZeroAndMinusOneOnlyWhereNoGroundTruth()
    {
        var stats = new CocoEvaluator().Evaluate(SyntheticGt(), []);
        Assert.All(stats.Values, v => Assert.Equal(0.0, v));
        Assert.Equal(-1.0, stats.PerCategoryAp[90]);                    // category 90 has no annotation
        Assert.All(stats.PerCategoryAp.Where(kv => kv.Key != 90), kv => Assert.Equal(0.0, kv.Value));
    }

    [Fact]
    public void Evaluate_UnknownCategory_IsSkippedAndCounted()
    {
        var gt = SyntheticGt();
        var exact = gt.Annotations.Where(a => a.IsCrowd == 0).Select(a => new CocoDetection(a.ImageId, a.CategoryId, a.Bbox, 1.0)).ToList();
        var withStray = exact.Append(new CocoDetection(gt.ImageIds[0], 12, [1, 1, 20, 20], 1.0)).ToList();
        var evaluator = new CocoEvaluator();
        var stats = evaluator.Evaluate(gt, withStray);
        Assert.Equal(evaluator.Evaluate(gt, exact).Values, stats.Values);
        Assert.Equal(new Dictionary<int, int> { [12] = 1 }, stats.SkippedDetectionsByCategory);
        Assert.Equal(1.0, stats.AP);
    }

    [Fact]
    public void Evaluate_ManyDetectionsInsideOneCrowd_AreIgnoredNotFalsePositives()
    {
        var gt = CocoGroundTruth.FromInstances(new CocoBoxInstances(
            [new CocoImage(1, "a.jpg", 100, 100)],
            [new CocoBoxAnnotation(1, 1, 1, [0, 0, 10, 10], 100, 0), new CocoBoxAnnotation(2, 1, 1, [40, 40, 50, 50], 2500, 1)],
            [new CocoCategory(1, "thing", "thing")]));
        List<CocoDetection> dets = [new(1, 1, [50, 50, 10, 10], 0.9), new(1, 1, [60, 60, 10, 10], 0.8), new(1, 1, [0, 0, 10, 10], 0.7)];
        var stats = new CocoEvaluator().Evaluate(gt, dets);
        // The two crowd dets neither help nor hurt; precision 1 / (1 + eps) is pycocotools' own value.
        Assert.Equal(1.0, stats.AP, 1e-15);
        Assert.Equal(1.0, stats["AR100"]);
    }

    [Fact]
    public void FormatSummary_JitteredGolden_EqualsPycocotoolsLines()
    {
        var folder = Path.GetDirectoryName(GoldenFiles.PathOf("cocoeval-synthetic/gt.json"))!;
        var stats = new CocoEvaluator().Evaluate(Path.Combine(folder, "gt.json"), Path.Combine(folder, "dets-jittered.json"));
        // pycocotools' iStr applied to stats-jittered.json by Python.
        const string expected =
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.534\n" +
            " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.750\n" +
            " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.583\n" +
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.543\n" +
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.543\n" +
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.579\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.359\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.699\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.704\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.718\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.698\n" +
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.691\n";
        Assert.Equal(expected, stats.FormatSummary());
    }

    [Fact]
    public void Evaluate_AtCocoValScale_PerfectDetectionsScoreOne_RandomOnesLessThanOne()
    {
        // COCO val's size (5,000 images, 80 categories, 100 detections each): the scale where per-image or
        // per-category shortcuts would show; speed is what `scrl evaluate` reports, not asserted here.
        var (gt, dets) = RandomCocoSet.Generate(images: 5000, categories: 80, gtPerImage: 7, detsPerImage: 100, seed: 5);
        var evaluator = new CocoEvaluator();
        var perfect = gt.Annotations.Where(a => a.IsCrowd == 0).Select(a => new CocoDetection(a.ImageId, a.CategoryId, a.Bbox, 1.0)).ToList();

        var exact = evaluator.Evaluate(gt, perfect);
        var random = evaluator.Evaluate(gt, dets);
        output.WriteLine($"{dets.Count} random detections: AP {random.AP:F3}, AP50 {random.AP50:F3}");

        Assert.Equal(1.0, exact.AP);
        Assert.Equal(1.0, exact.AP50);
        Assert.Equal(1.0, exact.AP75);
        Assert.All(exact.PerCategoryAp.Values, ap => Assert.Equal(1.0, ap));
        Assert.Equal(1.0, exact["AR100"]);
        Assert.InRange(random.AP, 0.01, 0.99);
        Assert.True(random.AP50 > random.AP75, $"AP50 {random.AP50} should exceed AP75 {random.AP75}");
    }
}
