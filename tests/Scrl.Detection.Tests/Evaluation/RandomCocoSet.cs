using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>A seeded random COCO-like ground truth plus jittered and random detections, for scale tests.</summary>
public static class RandomCocoSet
{
    public static (CocoGroundTruth Gt, List<CocoDetection> Dets) Generate(int images, int categories, int gtPerImage, int detsPerImage, int seed)
    {
        var rng = new Random(seed);
        var imageList = Enumerable.Range(1, images).Select(i => new CocoImage(i, $"{i}.jpg", 640, 480)).ToList();
        var categoryList = Enumerable.Range(1, categories).Select(c => new CocoCategory(c, $"c{c}", "thing")).ToList();
        var annotations = new List<CocoBoxAnnotation>();
        var dets = new List<CocoDetection>();
        double[] Box() => [rng.NextDouble() * 500, rng.NextDouble() * 400, 4 + rng.NextDouble() * 140, 4 + rng.NextDouble() * 80];
        foreach (var image in imageList)
        {
            for (int g = 0; g < gtPerImage; g++)
            {
                double[] b = Box();
                int category = 1 + rng.Next(categories);
                annotations.Add(new CocoBoxAnnotation(annotations.Count + 1, image.Id, category, b, b[2] * b[3] * 0.8, rng.Next(20) == 0 ? 1 : 0));
                double[] jittered = [b[0] + rng.NextDouble() * 6 - 3, b[1] + rng.NextDouble() * 6 - 3, b[2], b[3]];
                dets.Add(new CocoDetection(image.Id, category, jittered, Math.Round(rng.NextDouble(), 2)));
            }
            for (int d = gtPerImage; d < detsPerImage; d++)
                dets.Add(new CocoDetection(image.Id, 1 + rng.Next(categories), Box(), Math.Round(rng.NextDouble(), 2)));
        }
        return (CocoGroundTruth.FromInstances(new CocoBoxInstances(imageList, annotations, categoryList)), dets);
    }
}
