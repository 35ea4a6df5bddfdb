using Scrl.Detection.Evaluation.Cityscapes;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class CityscapesDetectionPredictionsTests
{
    [Fact]
    public void FromDetections_MaskProbabilities_ThresholdAtHalfWithMappedLabels()
    {
        using var scope = NewDisposeScope();
        var masks = tensor(new float[] { 0.5f, 0.49f, 0.9f, 0f, 0.1f, 0.2f, 0.3f, 1f }, [2, 1, 2, 2]);   // [D=2, 1, H=2, W=2]
        var detections = new Detections(zeros(2, 4), tensor(new float[] { 0.75f, 0.25f }), tensor(new long[] { 1, 3 }), masks);
        int[] labelIds = [0, 24, 25, 26];

        var predictions = CityscapesDetectionPredictions.FromDetections(detections, c => labelIds[c]);

        Assert.Equal(2, predictions.Count);
        Assert.Equal((24, 0.75, 2, 2), (predictions[0].LabelId, predictions[0].Confidence, predictions[0].Width, predictions[0].Height));
        Assert.Equal([true, false, true, false], predictions[0].Mask.ToArray());
        Assert.Equal((26, 0.25), (predictions[1].LabelId, predictions[1].Confidence));
        Assert.Equal([false, false, false, true], predictions[1].Mask.ToArray());
    }

    [Fact]
    public void FromDetections_NoMaskBranch_Throws()
    {
        using var scope = NewDisposeScope();
        var detections = new Detections(zeros(1, 4), ones(1), ones(1, ScalarType.Int64));

        Assert.Throws<ArgumentException>(() => CityscapesDetectionPredictions.FromDetections(detections, _ => 26));
    }

    [Fact]
    public void FromDetections_NoDetections_GivesNoPredictions()
    {
        using var scope = NewDisposeScope();
        var detections = new Detections(zeros(0, 4), zeros(0), zeros(0, ScalarType.Int64), zeros(0, 1, 4, 4));

        Assert.Empty(CityscapesDetectionPredictions.FromDetections(detections, _ => 26));
    }
}
