using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class CocoResultsJsonTests
{
    private static CocoGroundTruth SyntheticGt() => CocoGroundTruth.Load(GoldenFiles.PathOf("cocoeval-synthetic/gt.json"));

    [Fact]
    public void SaveThenLoad_KeepsEveryDoubleExactly()
    {
        IReadOnlyList<CocoDetection> original = [new(1000, 70, [0.1, 1.0 / 3, 1e-7, 123456.789], 0.8999999999999999), new(1007, 2, [0, 0, 1, 1], 1)];
        using var stream = new MemoryStream();
        CocoResultsJson.Save(stream, original);
        stream.Position = 0;
        var loaded = CocoResultsJson.Load(stream);
        Assert.Equal(original.Count, loaded.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i] with { Bbox = [] }, loaded[i] with { Bbox = [] });
            Assert.Equal(original[i].Bbox, loaded[i].Bbox);
        }
    }

    [Fact]
    public void Validate_UnknownImagesAndBadEntries_ListsEachWithCounts()
    {
        IReadOnlyList<CocoDetection> dets =
        [
            new(1000, 70, [0, 0, 5, 5], 0.9), new(7, 70, [0, 0, 5, 5], 0.8), new(7, 70, [0, 0, 5, 5], 0.7),
            new(8, 1, [0, 0, 5], 0.5), new(1000, 1, [0, 0, 5, double.NaN], double.PositiveInfinity),
        ];
        var errors = CocoResultsJson.Validate(dets, SyntheticGt());
        Assert.Equal(["results[].image_id", "results[3].bbox", "results[4].bbox", "results[4].score"], errors.Select(e => e.Path));
        Assert.Contains("3 detections name 2 image ids", errors[0].Message);
        Assert.Contains("7: 2, 8: 1", errors[0].Message);
    }

    [Fact]
    public void Evaluate_UnknownImageIds_ThrowsListingThem()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new CocoEvaluator().Evaluate(SyntheticGt(), [new(424242, 70, [0, 0, 5, 5], 0.9)]));
        Assert.Contains("424242: 1", ex.Message);
    }
}
