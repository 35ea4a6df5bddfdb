using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>segm and keypoints stats equal what pycocotools 2.0.11 computed for the same ground truth and results.</summary>
public sealed class CocoSegmKeypointGoldenTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("perfect")]
    [InlineData("jittered")]
    [InlineData("empty-some")]
    public void EvaluateKeypoints_SyntheticPeople_MatchesPycocotools(string set)
    {
        string folder = Path.GetDirectoryName(GoldenFiles.PathOf("cocoeval-segm-kp/gt-keypoints.json"))!;
        AssertGolden(CocoIouType.Keypoints, Path.Combine(folder, "gt-keypoints.json"), Path.Combine(folder, "keypoints"), set);
    }

    [Theory]
    [Trait("Category", "Shared")]
    [InlineData("perfect")]
    [InlineData("jittered")]
    [InlineData("class-confused")]
    [InlineData("empty-some")]
    public void EvaluateSegm_CocoTinyGolden_MatchesPycocotools(string set)
    {
        string folder = SharedReference.PathOf("reference/golden/cocoeval-segm-kp/segm-coco-tiny");
        string gt = SharedReference.PathOf("data/coco-tiny/annotations/instances_val2017.json");
        AssertGolden(CocoIouType.Segm, gt, folder, set);
    }

    [Theory]
    [InlineData("segm-mask-area")]
    [InlineData("segm-box-area")]
    [InlineData("keypoints-box-area")]
    public void Evaluate_CrowdRleAndLoadResAreaBranches_MatchesPycocotools(string set)
    {
        string folder = Path.GetDirectoryName(GoldenFiles.PathOf("cocoeval-segm-kp-branches/gt-masks.json"))!;
        var iouType = set.StartsWith("keypoints", StringComparison.Ordinal) ? CocoIouType.Keypoints : CocoIouType.Segm;
        string gt = iouType == CocoIouType.Keypoints ? GoldenFiles.PathOf("cocoeval-segm-kp/gt-keypoints.json") : Path.Combine(folder, "gt-masks.json");
        AssertGolden(iouType, gt, folder, set);
    }

    private void AssertGolden(CocoIouType iouType, string gtPath, string folder, string set)
    {
        var evaluator = new CocoEvaluator(iouType);
        var gt = CocoGroundTruth.Load(gtPath, iouType);
        var stats = evaluator.Evaluate(gt, CocoResultsJson.Load(Path.Combine(folder, $"dets-{set}.json")));
        double worst = CocoGoldenStats.Load(Path.Combine(folder, $"stats-{set}.json"), gt.CategoryIds).AssertMatches(stats);
        output.WriteLine($"{set}: largest |diff| {worst:E2}\n{stats.FormatSummary()}");
    }
}
