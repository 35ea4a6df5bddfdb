using Scrl.Detection.Evaluation;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>Runs a detector over a dataset and returns COCO-format detections (xywh px, dataset category ids).</summary>
public static class DetectionPredictor
{
    /// <param name="model">Detector; switched to eval mode.</param>
    /// <param name="data">Evaluation records; each result carries <see cref="ResultImageIds.Of"/> of its record's id.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    public static List<CocoDetection> Predict(Detector model, DetectionDataset data, int batchSize, CancellationToken cancellationToken = default)
    {
        model.eval();
        var results = new List<CocoDetection>();
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
                // TorchSharp's data<T>() throws on an empty tensor; an image without detections adds nothing.
                if (detections[k].Scores.shape[0] == 0) continue;
                long imageId = ResultImageIds.Of(data.Records[indices[k]].ImageId);
                var boxes = detections[k].Boxes.cpu().data<float>().ToArray();            // [D*4] xyxy px
                var scores = detections[k].Scores.cpu().data<float>().ToArray();
                var labels = detections[k].Labels.cpu().data<long>().ToArray();
                for (int d = 0; d < scores.Length; d++)
                {
                    double x1 = boxes[4 * d], y1 = boxes[4 * d + 1], x2 = boxes[4 * d + 2], y2 = boxes[4 * d + 3];
                    results.Add(new CocoDetection(imageId, data.CategoryOf(labels[d]), [x1, y1, x2 - x1, y2 - y1], scores[d]));
                }
            }
        }
        return results;
    }
}
