using System.Text.Json;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class DatasetValidatorTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private static readonly DatasetCategory[] Categories = [new(1, "cat"), new(2, "dog")];
    private static readonly DatasetValidationOptions Options = new() { Parallelism = 2 };

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Validate_CleanDataset_NoProblems()
    {
        var report = DatasetValidator.Validate(Dataset(Good("1"), Good("2")), Options);

        Assert.True(report.IsValid, report.Describe());
    }

    [Theory]
    [InlineData(DatasetProblemKind.MissingImage)]
    [InlineData(DatasetProblemKind.CorruptImage)]
    [InlineData(DatasetProblemKind.SizeMismatch)]
    [InlineData(DatasetProblemKind.BoxOutOfBounds)]
    [InlineData(DatasetProblemKind.EmptyBox)]
    [InlineData(DatasetProblemKind.UnknownCategory)]
    public void Validate_BadRecord_ReportsItsKindWithFileAndRecord(DatasetProblemKind kind)
    {
        var bad = Bad(kind, "7");

        var report = DatasetValidator.Validate(Dataset(Good("1"), bad), Options);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal("7", problem.ImageId);
        Assert.Equal(bad.ImagePath, problem.File);
        Assert.Equal(new Dictionary<string, int> { [kind.ToString()] = 1 }, report.Counts);
    }

    [Fact]
    public void Validate_DuplicateImageAndAnnotationIds_FlagsEveryOccurrence()
    {
        var first = Good("1") with { Instances = [Instance(annotationId: 5)] };
        var second = Good("2") with { Instances = [Instance(annotationId: 5)] };
        var twin = Good("2");

        var report = DatasetValidator.Validate(Dataset(first, second, twin), Options);

        Assert.Equal(2, report.Counts[nameof(DatasetProblemKind.DuplicateImageId)]);
        Assert.Equal(2, report.Counts[nameof(DatasetProblemKind.DuplicateAnnotationId)]);
        Assert.Equal(["1", "2"], report.BadImageIds);
    }

    [Fact]
    public void EnsureValid_ManyProblems_ThrowsListingAllOfThem()
    {
        var kinds = new[] { DatasetProblemKind.MissingImage, DatasetProblemKind.CorruptImage, DatasetProblemKind.EmptyBox, DatasetProblemKind.UnknownCategory };
        var dataset = Dataset([Good("0"), .. kinds.Select((k, i) => Bad(k, $"{i + 1}"))]);

        var error = Assert.Throws<InvalidDataException>(() => DatasetValidator.EnsureValid(dataset, Options));

        Assert.Contains("4 problems in 4 of 5 images", error.Message);
        Assert.All(kinds, k => Assert.Contains($"{k}: image", error.Message));
    }

    [Fact]
    public void EnsureValid_SkipBad_DropsBadRecordsAndWritesReport()
    {
        string reportPath = _folder.File("bad.json");
        var dataset = Dataset(Good("1"), Bad(DatasetProblemKind.CorruptImage, "2"), Good("3"), Bad(DatasetProblemKind.BoxOutOfBounds, "4"));

        var kept = DatasetValidator.EnsureValid(dataset, Options with { SkipBad = true, ReportPath = reportPath });

        Assert.Equal(["1", "3"], kept.Records.Select(r => r.ImageId));
        using var report = JsonDocument.Parse(File.ReadAllBytes(reportPath));
        Assert.Equal(["2", "4"], report.RootElement.GetProperty("badImageIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, report.RootElement.GetProperty("counts").GetProperty("CorruptImage").GetInt32());
        Assert.Equal("BoxOutOfBounds", report.RootElement.GetProperty("problems")[1].GetProperty("kind").GetString());
    }

    private DatasetRecord Good(string id)
    {
        string path = _folder.File($"{id}.jpg");
        if (!File.Exists(path)) File.WriteAllBytes(path, TestImages.NoiseJpeg(40, 30, seed: id.Length));
        return new DatasetRecord(id, $"{id}.jpg", path, 40, 30, [Instance()]);
    }

    private DatasetRecord Bad(DatasetProblemKind kind, string id)
    {
        var good = Good(id);
        switch (kind)
        {
            case DatasetProblemKind.MissingImage:
                File.Delete(good.ImagePath);
                return good;
            case DatasetProblemKind.CorruptImage:
                var bytes = File.ReadAllBytes(good.ImagePath);
                File.WriteAllBytes(good.ImagePath, bytes[..(bytes.Length / 2)]);   // truncated JPEG
                return good;
            case DatasetProblemKind.SizeMismatch:
                return good with { Width = 41 };
            case DatasetProblemKind.BoxOutOfBounds:
                return good with { Instances = [Instance() with { Box = new BoxXyxy(30, 10, 45, 20) }] };
            case DatasetProblemKind.EmptyBox:
                return good with { Instances = [Instance() with { Box = new BoxXyxy(10, 10, 10, 20) }] };
            case DatasetProblemKind.UnknownCategory:
                return good with { Instances = [Instance() with { CategoryId = 9 }] };
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static DatasetInstance Instance(long? annotationId = null) => new(1, new BoxXyxy(2, 3, 20, 25), AnnotationId: annotationId);

    private static ImageDataset Dataset(params DatasetRecord[] records) => new("test", Categories, records);
}
