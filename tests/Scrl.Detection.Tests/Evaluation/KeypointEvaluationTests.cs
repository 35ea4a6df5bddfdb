using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class KeypointEvaluationTests
{
    private static double[] Pose(double x, double y, int v) =>
        Enumerable.Range(0, 17).SelectMany(j => new[] { x + 2 * j, y + 3 * j, v }).ToArray();

    private static double[] AllAt(double x, double y) => Enumerable.Repeat(0, 17).SelectMany(_ => new[] { x, y, 1 }).ToArray();

    /// <summary>
    /// A person with no labelled keypoint is ignored but is no crowd: it absorbs one detection (ignored), and a second
    /// detection on it counts as a false positive. Were it treated as a crowd, AP would be 1 instead of 0.5.
    /// </summary>
    [Fact]
    public void Evaluate_PersonWithoutLabelledKeypoints_IsIgnoredButAbsorbsOnlyOneDetection()
    {
        var gt = CocoGroundTruth.FromInstances(new CocoInstances(null, [new CocoImage(1, "a.jpg", 640, 480)],
            [
                new CocoAnnotation(1, 1, 1, [10, 10, 20, 40], null, 600, 0, new double[51], 0),
                new CocoAnnotation(2, 1, 1, [300, 300, 40, 80], null, 2500, 0, Pose(300, 300, 2), 17),
            ],
            [new CocoCategory(1, "person", "person")]));
        IReadOnlyList<CocoDetection> dets =
        [
            new(1, 1, null, 0.9) { Keypoints = AllAt(20, 30) },          // inside the unlabelled person's box: OKS 1
            new(1, 1, null, 0.8) { Keypoints = AllAt(25, 35) },
            new(1, 1, null, 0.7) { Keypoints = Pose(300, 300, 1) },
        ];

        var stats = new CocoEvaluator(CocoIouType.Keypoints).Evaluate(gt, dets);

        Assert.Equal(0.5, stats.AP, 12);
        Assert.Equal(1.0, stats["AR"], 12);
        Assert.Equal(["AP", "AP50", "AP75", "APm", "APl", "AR", "AR50", "AR75", "ARm", "ARl"], stats.Definitions.Select(d => d.Name));
        Assert.Contains("maxDets= 20 ] = 0.500", stats.FormatSummary());
    }
}
