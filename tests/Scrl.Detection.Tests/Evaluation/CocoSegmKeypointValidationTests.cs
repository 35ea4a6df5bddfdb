using System.Text;
using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Masks;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>What segm and keypoint evaluation refuses, with a message that names the entry, and how results json carries masks.</summary>
public sealed class CocoSegmKeypointValidationTests
{
    private static CocoGroundTruth MaskGt() => CocoGroundTruth.Load(GoldenFiles.PathOf("cocoeval-segm-kp-branches/gt-masks.json"), CocoIouType.Segm);

    private static CocoRle Square(int height, int width)
    {
        var mask = new byte[height * width];
        for (int y = 5; y < 15; y++)
            for (int x = 5; x < 15; x++) mask[y * width + x] = 1;
        return CocoMasks.Encode(mask, height, width);
    }

    [Fact]
    public void SaveThenLoad_MaskAndKeypointResults_KeepRleStringAndOmitAbsentFields()
    {
        IReadOnlyList<CocoDetection> original =
        [
            new(500, 1, null, 0.75) { Segmentation = Square(60, 80) },
            new(503, 7, [1, 2, 3, 4], 0.5) { Keypoints = Enumerable.Range(0, 51).Select(i => i * 0.5).ToArray() },
        ];
        using var stream = new MemoryStream();
        CocoResultsJson.Save(stream, original);
        string json = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var loaded = CocoResultsJson.Load(stream);

        Assert.Contains($"\"segmentation\":{{\"size\":[60,80],\"counts\":\"{original[0].Segmentation!.CompressedCounts}\"}}", json);
        Assert.DoesNotContain("\"bbox\":null", json);
        Assert.DoesNotContain("\"keypoints\":null", json);
        Assert.Null(loaded[0].Bbox);
        Assert.Equal(original[0].Segmentation, loaded[0].Segmentation);
        Assert.Equal(original[1].Keypoints, loaded[1].Keypoints);
        Assert.Null(loaded[1].Segmentation);
    }

    [Fact]
    public void Validate_SegmResults_ListsMissingMaskWrongSizeAndBadRuns()
    {
        var good = Square(60, 80);
        IReadOnlyList<CocoDetection> dets =
        [
            new(500, 1, null, 0.9) { Segmentation = good },
            new(500, 1, null, 0.9),
            new(500, 1, null, 0.9) { Segmentation = Square(80, 60) },
            new(500, 1, null, 0.9) { Segmentation = new CocoRle(60, 80, null, [100, 20]) },
            new(500, 1, null, 0.9) { Segmentation = new CocoRle(60, 80, "0`f0{", null) },
        ];

        var errors = CocoResultsJson.Validate(dets, MaskGt(), CocoIouType.Segm);

        Assert.Equal(["results[1].segmentation", "results[2].segmentation.size", "results[3].segmentation.counts", "results[4].segmentation.counts"],
                     errors.Select(e => e.Path));
        Assert.Contains("image 500 is [60, 80]", errors[1].Message);
        Assert.Contains("runs cover 120 pixels", errors[2].Message);
    }

    [Fact]
    public void Validate_SegmResultsWhoseFirstHasABox_NeedABoxOnEvery()
    {
        var mask = Square(60, 80);
        IReadOnlyList<CocoDetection> dets = [new(500, 1, [5, 5, 10, 10], 0.9) { Segmentation = mask }, new(500, 1, null, 0.8) { Segmentation = mask }];

        var error = Assert.Single(CocoResultsJson.Validate(dets, MaskGt(), CocoIouType.Segm));

        Assert.Equal("results[1].bbox", error.Path);
        Assert.Contains("results[0] has a bbox", error.Message);
    }

    [Fact]
    public void Evaluate_KeypointResultsWithoutFiftyOneNumbers_ThrowsNamingThem()
    {
        var gt = CocoGroundTruth.Load(GoldenFiles.PathOf("cocoeval-segm-kp/gt-keypoints.json"), CocoIouType.Keypoints);
        long image = gt.Annotations[0].ImageId;
        IReadOnlyList<CocoDetection> dets = [new(image, 1, null, 0.9) { Keypoints = new double[50] }, new(image, 1, null, 0.8)];

        var ex = Assert.Throws<InvalidDataException>(() => new CocoEvaluator(CocoIouType.Keypoints).Evaluate(gt, dets));

        Assert.Contains("results[0].keypoints: must be 51 finite numbers", ex.Message);
        Assert.Contains("results[1].keypoints", ex.Message);
    }

    [Fact]
    public void Evaluate_GroundTruthReadForBoxesOrWithoutMasks_ThrowsNamingWhatIsMissing()
    {
        var boxOnly = CocoGroundTruth.Load(GoldenFiles.PathOf("cocoeval-segm-kp-branches/gt-masks.json"));
        var ex = Assert.Throws<InvalidDataException>(() => new CocoEvaluator(CocoIouType.Segm).Evaluate(boxOnly, []));
        Assert.Contains("read for boxes only", ex.Message);

        var noMasks = CocoGroundTruth.FromInstances(new CocoInstances(null, [new CocoImage(1, "a.jpg", 20, 30)],
            [new CocoAnnotation(4, 1, 1, [0, 0, 5, 5], null, 25, 0), new CocoAnnotation(5, 1, 1, [0, 0, 5, 5], CocoSegmentation.FromPolygons([[1, 1, 4, 4]]), 25, 0)],
            [new CocoCategory(1, "thing", "thing")]));
        ex = Assert.Throws<InvalidDataException>(() => new CocoEvaluator(CocoIouType.Segm).Evaluate(noMasks, []));
        Assert.Contains("annotations[id=4].segmentation: is missing", ex.Message);
        Assert.Contains("annotations[id=5].segmentation: pycocotools' frPyObjects needs a first polygon of more than four numbers", ex.Message);

        ex = Assert.Throws<InvalidDataException>(() => new CocoEvaluator(CocoIouType.Keypoints).Evaluate(noMasks, []));
        Assert.Contains("annotations[id=4].keypoints", ex.Message);
        Assert.Contains("annotations[id=4].num_keypoints", ex.Message);
    }

    [Fact]
    public void Evaluate_PerfectMasksRasterizedFromTheGroundTruth_ScoreOne()
    {
        var gt = MaskGt();
        var dets = gt.FullAnnotations!.Where(a => a.IsCrowd == 0).Select(a =>
        {
            var image = gt.Images[a.ImageId];
            return new CocoDetection(a.ImageId, a.CategoryId, null, 0.9)
            {
                Segmentation = CocoMasks.Encode(CocoMasks.Rasterize(a.Segmentation!, image.Height, image.Width), image.Height, image.Width),
            };
        }).ToList();

        var stats = new CocoEvaluator(CocoIouType.Segm).Evaluate(gt, dets);

        Assert.Equal(1.0, stats.AP);
        Assert.Equal(1.0, stats["AR100"]);
    }
}
