using Scrl.Detection.Evaluation;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>Runs a detector over a dataset, image by image.</summary>
public static class DetectionPredictor
{
    /// <summary>Hands each image's detections to <paramref name="onImage"/>, on the CPU, then frees them (masks are large).</summary>
    /// <param name="model">Detector; switched to eval mode.</param>
    /// <param name="data">Evaluation records.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="onImage">Record index and its detections in the original image's pixels; valid during the call only.</param>
    public static void Predict(Detector model, DetectionDataset data, int batchSize, Action<int, Detections> onImage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onImage);
        model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < data.Records.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();                                          // one scope per batch
            var indices = Enumerable.Range(start, Math.Min(batchSize, data.Records.Count - start)).ToList();
            var images = indices.Select(i => data.Load(i, flip: false).Image).ToList();
            var detections = model.call(images);
            for (int k = 0; k < indices.Count; k++)
            {
                var d = detections[k];
                onImage(indices[k], new Detections(d.Boxes.cpu(), d.Scores.cpu(), d.Labels.cpu(), d.Masks?.cpu(), d.Keypoints?.cpu(), d.KeypointScores?.cpu()));
            }
        }
    }

    /// <summary>COCO-format results of the whole dataset (xywh px, dataset category ids, RLE masks and keypoints where the model gives them).</summary>
    /// <remarks>Each result carries <see cref="ResultImageIds.Of"/> of its record's id.</remarks>
    public static List<CocoDetection> Predict(Detector model, DetectionDataset data, int batchSize, CancellationToken cancellationToken = default)
    {
        var results = new List<CocoDetection>();
        Predict(model, data, batchSize, (i, d) => results.AddRange(CocoResults.Of(d, ResultImageIds.Of(data.Records[i].ImageId), label => data.CategoryOf(label))),
                cancellationToken);
        return results;
    }
}
