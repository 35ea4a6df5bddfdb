using System.Text.Json;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>
/// AP, AP50, AP75 and per-class AP50 equal what a verbatim numpy port of detectron2's voc_eval/voc_ap computed
/// (golden/voc/make_voc.py), including detectron2's text round trip of the predictions.
/// </summary>
public sealed class VocEvaluatorGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("voc2007", true)]
    [InlineData("voc2012", false)]
    public void Evaluate_SyntheticGolden_MatchesDetectron2VocEval(string metric, bool use07Metric)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenFiles.PathOf("voc/voc-synthetic.json")));
        var root = doc.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var images = root.GetProperty("image_ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var gt = root.GetProperty("ground_truth").EnumerateArray().Select(g =>
        {
            var b = g.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            return new VocGroundTruthBox(g.GetProperty("image_id").GetString()!, g.GetProperty("class").GetInt32(),
                b[0], b[1], b[2], b[3], g.GetProperty("difficult").GetInt32() != 0);
        }).ToArray();
        var detections = root.GetProperty("predictions").EnumerateArray().Select(p =>
        {
            var b = p.GetProperty("box").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();   // exact float32 values
            return VocDetection.FromModelOutput(p.GetProperty("image_id").GetString()!, p.GetProperty("class").GetInt32(),
                (float)p.GetProperty("score").GetDouble(), b[0], b[1], b[2], b[3]);
        }).ToArray();

        var result = new VocEvaluator(classes, use07Metric).Evaluate(images, gt, detections);

        var expected = root.GetProperty("expected").GetProperty(metric);
        double worst = 0;
        void Check(string what, double actual, double wanted)
        {
            double diff = Math.Abs(actual - wanted);
            Assert.True(diff <= Tolerance, $"{metric} {what}: expected {wanted:R}, actual {actual:R}");
            worst = Math.Max(worst, diff);
        }
        Check("AP", result.AP, expected.GetProperty("AP").GetDouble());
        Check("AP50", result.AP50, expected.GetProperty("AP50").GetDouble());
        Check("AP75", result.AP75, expected.GetProperty("AP75").GetDouble());
        foreach (var c in expected.GetProperty("per_class_ap50").EnumerateObject())
            Check($"AP50[{c.Name}]", result.PerClassAp50[c.Name], c.Value.GetDouble());
        output.WriteLine($"{metric}: AP {result.AP:R}, largest |diff| {worst:E2}");
    }
}
