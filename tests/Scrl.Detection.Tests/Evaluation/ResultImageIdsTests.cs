using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

public sealed class ResultImageIdsTests
{
    [Theory]
    [InlineData("397133", 397133L)]          // COCO
    [InlineData("000005", 5L)]               // VOC2007
    [InlineData("2008_000008", 2008000008L)] // VOC2012
    [InlineData("2011_003276", 2011003276L)]
    public void Of_DigitIds_GiveTheirDigits(string imageId, long expected) => Assert.Equal(expected, ResultImageIds.Of(imageId));

    [Theory]
    [InlineData("aachen_000000_000019x")]
    [InlineData("2008__000008")]
    [InlineData("_2008")]
    [InlineData("")]
    [InlineData("1234567890123456789")]      // 19 digits could overflow a long
    public void Of_OtherIds_ThrowNamingTheId(string imageId)
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultImageIds.Of(imageId));
        Assert.Contains($"'{imageId}'", error.Message);
    }

    [Fact]
    public void Index_IdsSharingDigits_ThrowsNamingBoth()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultImageIds.Index(["2008_000008", "20080_00008"]));
        Assert.Contains("'2008_000008' and '20080_00008'", error.Message);
    }

    /// <summary>VOC2012 ids (2008_000008) went through long.Parse before; perfect detections must score 100 AP50.</summary>
    [Fact]
    public void VocDatasetEvaluation_Voc2012Ids_ScoresDetectionsOfEachImage()
    {
        var categories = VocDatasetReader.ClassNames.Select((name, i) => new DatasetCategory(i + 1, name)).ToList();
        DatasetRecord Record(string id, int category, BoxXyxy box) =>
            new(id, $"{id}.jpg", $"JPEGImages/{id}.jpg", 500, 375, [new DatasetInstance(category, box)]);
        var dataset = new ImageDataset("VOC2012 val", categories,
            [Record("2008_000008", 13, new BoxXyxy(52, 86, 470, 419)), Record("2008_000015", 5, new BoxXyxy(9, 11, 94, 340))]);
        var detections = new List<CocoDetection>
        {
            new(2008000008, 13, [52, 86, 418, 333], 0.9),
            new(2008000015, 5, [9, 11, 85, 329], 0.8),
            new(2008000015, 13, [100, 100, 50, 50], 0.3),   // a false positive in the other image
        };

        var result = VocDatasetEvaluation.Evaluate(dataset, detections, use07Metric: false);

        Assert.Equal(100, result.PerClassAp50["bottle"], 6);
        Assert.Equal(100, result.PerClassAp50["horse"], 6);
    }
}
