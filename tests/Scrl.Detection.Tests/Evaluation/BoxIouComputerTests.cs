using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class BoxIouComputerTests
{
    private static CocoBoxAnnotation Gt(double x, double y, double w, double h, bool crowd) =>
        new(1, 1, 1, [x, y, w, h], w * h, crowd ? 1 : 0);

    private static CocoDetection Det(double x, double y, double w, double h) => new(1, 1, [x, y, w, h], 0.5);

    [Fact]
    public void Compute_CrowdGroundTruth_DividesByDetectionAreaOnly()
    {
        var iou = new double[2 * 2];
        var computer = new BoxIouComputer([Gt(0, 0, 10, 10, crowd: false), Gt(0, 0, 10, 10, crowd: true)], [Det(5, 0, 10, 10), Det(2, 2, 4, 4)]);
        computer.Compute([0, 1], [0, 1], iou);
        Assert.Equal([50.0 / 150, 50.0 / 100, 16.0 / 100, 1.0], iou);  // [d * G + g]
    }

    [Fact]
    public void Compute_TouchingOrZeroSizeBoxes_GiveZero()
    {
        var iou = new double[2];
        new BoxIouComputer([Gt(0, 0, 10, 10, false)], [Det(10, 0, 5, 5), Det(3, 3, 0, 4)]).Compute([0, 1], [0], iou);
        Assert.Equal([0.0, 0.0], iou);
    }
}
