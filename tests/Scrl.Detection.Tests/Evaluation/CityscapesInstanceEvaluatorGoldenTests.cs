using Scrl.Detection.Evaluation.Cityscapes;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>
/// AP, AP50, per-class AP/AP50 and the AP matrix equal what cityscapesScripts' own evaluateImgLists computed on
/// golden/cityscapes (void and crowd regions, small instances, duplicates, skipped labels, empty files, NaN classes).
/// </summary>
public sealed class CityscapesInstanceEvaluatorGoldenTests(ITestOutputHelper output)
{
    [Fact]
    public void EvaluateFiles_GoldenSet_MatchesCityscapesScripts()
    {
        var golden = CityscapesGolden.Load();

        var result = CityscapesInstanceEvaluator.EvaluateFiles(golden.GroundTruthFiles(), CityscapesGolden.PredictionRoot);

        double worst = golden.AssertMatches(result);
        output.WriteLine($"files: AP {result.AP:R}, AP50 {result.AP50:R}, largest |diff| {worst:E2}");
    }

    [Fact]
    public void Evaluate_InMemoryPredictions_MatchesCityscapesScripts()
    {
        var golden = CityscapesGolden.Load();
        var evaluator = new CityscapesInstanceEvaluator();
        foreach (var image in golden.Images)
            evaluator.Add(CityscapesGroundTruth.Read(CityscapesGolden.GroundTruthFile(image)), CityscapesGolden.Predictions(image));

        var result = evaluator.Evaluate();

        Assert.Equal(4, evaluator.ImageCount);
        double worst = golden.AssertMatches(result);
        output.WriteLine($"in memory: AP {result.AP:R}, AP50 {result.AP50:R}, largest |diff| {worst:E2}");
    }

    [Fact]
    public void Writer_InMemoryPredictions_RoundTripThroughFilesToTheGolden()
    {
        var golden = CityscapesGolden.Load();
        string root = Directory.CreateTempSubdirectory("cityscapes-pred-").FullName;
        try
        {
            foreach (var image in golden.Images)
                CityscapesPredictionFileWriter.Write(root, image.GetProperty("stem").GetString()!, CityscapesGolden.Predictions(image));

            var result = CityscapesInstanceEvaluator.EvaluateFiles(golden.GroundTruthFiles(), root);

            golden.AssertMatches(result);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
