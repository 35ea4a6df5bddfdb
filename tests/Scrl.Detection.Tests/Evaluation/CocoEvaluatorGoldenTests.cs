using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>Stats equal what pycocotools printed for the same ground truth and results files.</summary>
public sealed class CocoEvaluatorGoldenTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("perfect")]
    [InlineData("jittered")]
    [InlineData("class-confused")]
    [InlineData("empty-some")]
    public void Evaluate_SyntheticGolden_MatchesPycocotools(string set)
    {
        string folder = Path.GetDirectoryName(GoldenFiles.PathOf("cocoeval-synthetic/gt.json"))!;
        AssertGolden(folder, Path.Combine(folder, "gt.json"), set);
    }

    [Theory]
    [Trait("Category", "Shared")]
    [InlineData("perfect")]
    [InlineData("jittered")]
    [InlineData("class-confused")]
    [InlineData("empty-some")]
    public void Evaluate_CocoTinyGolden_MatchesPycocotools(string set)
    {
        string folder = SharedReference.PathOf("reference/golden/cocoeval-coco-tiny");
        string gt = SharedReference.PathOf("data/coco-tiny/annotations/instances_val2017.json");
        AssertGolden(folder, gt, set);
    }

    private void AssertGolden(string folder, string gtPath, string set)
    {
        var stats = new CocoEvaluator().Evaluate(gtPath, Path.Combine(folder, $"dets-{set}.json"));
        double worst = CocoGoldenStats.Load(Path.Combine(folder, $"stats-{set}.json")).AssertMatches(stats);
        output.WriteLine($"{set}: largest |diff| {worst:E2}\n{stats.FormatSummary()}");
    }
}
