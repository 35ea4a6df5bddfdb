using Scrl.Detection.Evaluation.Cityscapes;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>Inputs the Cityscapes evaluation must refuse, and the ground-truth reading it builds on.</summary>
public sealed class CityscapesInstanceEvaluatorTests
{
    private static string HandMadeGroundTruth => Path.Combine(CityscapesGolden.SetFolder, "gtFine", "val", "aachen", "aachen_000000_000019_gtFine_instanceIds.png");

    [Fact]
    public void GroundTruthRead_SixteenBitInstanceIds_KeepsEveryIdAndCount()
    {
        var gt = CityscapesGroundTruth.Read(HandMadeGroundTruth);

        Assert.Equal((128, 64), (gt.Width, gt.Height));
        var byId = gt.Regions.ToDictionary(r => r.InstanceId);
        Assert.Equal(new CityscapesGroundTruthInstance(26001, 26, 600), byId[26001]);   // above 255: the low byte matters
        Assert.Equal(new CityscapesGroundTruthInstance(24002, 24, 80), byId[24002]);
        Assert.Equal(new CityscapesGroundTruthInstance(26, 26, 450), byId[26]);        // car group
        Assert.Equal(new CityscapesGroundTruthInstance(29, 29, 240), byId[29]);        // caravan crowd
        Assert.False(byId[26].IsInstance);
        Assert.True(byId[31001].IsInstance);
        Assert.Equal(gt.Regions.Select(r => r.InstanceId).Order(), gt.Regions.Select(r => r.InstanceId));
        Assert.Equal(128 * 64, gt.Regions.Sum(r => r.PixelCount));
    }

    [Fact]
    public void GroundTruthRead_MissingInstanceIdsPng_ThrowsFileNotFoundNamingIt()
    {
        string missing = Path.Combine(CityscapesGolden.SetFolder, "gtFine", "val", "aachen", "aachen_000099_000019_gtFine_instanceIds.png");

        var e = Assert.Throws<FileNotFoundException>(() => CityscapesGroundTruth.Read(missing));

        Assert.Contains("aachen_000099_000019_gtFine_instanceIds.png", e.Message);
    }

    [Theory]
    [InlineData("aachen/aachen_000000_000019_gtFine_instanceIds.png")]       // 16-bit
    [InlineData("../../results/aachen/masks/aachen_000000_000019_00.png")]   // 8-bit
    public void Read_TruncatedPng_ThrowsInvalidDataNamingTheFile(string relative)
    {
        string root = Directory.CreateTempSubdirectory("cityscapes-eval-").FullName;
        try
        {
            byte[] png = File.ReadAllBytes(Path.Combine(CityscapesGolden.SetFolder, "gtFine", "val", relative));
            string broken = Path.Combine(root, "aachen_000000_000019_gtFine_instanceIds.png");
            File.WriteAllBytes(broken, png[..(png.Length / 2)]);

            var e = Assert.Throws<InvalidDataException>(() => CityscapesGroundTruth.Read(broken));

            Assert.Contains(broken, e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void GroundTruthFromIds_LabelUnknownToLabelsPy_IsRejected()
    {
        ushort[] ids = [7, 7, 34001, 7];   // label 34 does not exist

        var e = Assert.Throws<InvalidDataException>(() => CityscapesGroundTruth.FromIds("frame", 2, 2, ids));

        Assert.Contains("34001", e.Message);
    }

    [Fact]
    public void Add_PredictionMaskOfWrongSize_ThrowsWithBothSizes()
    {
        var gt = CityscapesGroundTruth.Read(HandMadeGroundTruth);
        var prediction = new CityscapesInstancePrediction(26, 0.9, 64, 32, new bool[64 * 32]);

        var e = Assert.Throws<ArgumentException>(() => new CityscapesInstanceEvaluator().Add(gt, [prediction]));

        Assert.Contains("64x32", e.Message);
        Assert.Contains("128x64", e.Message);
    }

    [Fact]
    public void Add_UnknownLabelId_ThrowsNamingTheId()
    {
        var gt = CityscapesGroundTruth.Read(HandMadeGroundTruth);
        var prediction = new CityscapesInstancePrediction(99, 0.9, 128, 64, new bool[128 * 64]);

        var e = Assert.Throws<ArgumentException>(() => new CityscapesInstanceEvaluator().Add(gt, [prediction]));

        Assert.Contains("99", e.Message);
    }

    [Fact]
    public void Add_SameImageTwice_IsRejected()
    {
        var gt = CityscapesGroundTruth.Read(HandMadeGroundTruth);
        var evaluator = new CityscapesInstanceEvaluator();
        evaluator.Add(gt, []);

        Assert.Throws<ArgumentException>(() => evaluator.Add(gt, []));
    }

    [Fact]
    public void Evaluate_NoPredictions_GivesZeroForClassesWithGroundTruthAndNaNForOthers()
    {
        var evaluator = new CityscapesInstanceEvaluator();
        evaluator.Add(CityscapesGroundTruth.Read(HandMadeGroundTruth), []);

        var result = evaluator.Evaluate();

        Assert.Equal(0.0, result.PerClass["car"].AP);
        Assert.Equal(0.0, result.PerClass["train"].AP50);
        Assert.True(double.IsNaN(result.PerClass["bus"].AP));
        Assert.Equal(0.0, result.AP);                   // NaN classes are left out of the mean
    }

    [Fact]
    public void Evaluate_OnlyIgnoredPredictions_GivesZeroWhereTheScriptFailsOnAnEmptyCurve()
    {
        // 20x10: a 100-px car on the left half, void (0) on the right half; the only car prediction lies on void.
        var ids = new ushort[10 * 20];
        var onVoid = new bool[10 * 20];
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 20; x++)
            {
                ids[y * 20 + x] = x < 10 ? (ushort)26001 : (ushort)0;
                onVoid[y * 20 + x] = x >= 12;
            }
        var evaluator = new CityscapesInstanceEvaluator();
        evaluator.Add(CityscapesGroundTruth.FromIds("frame", 20, 10, ids), [new CityscapesInstancePrediction(26, 0.9, 20, 10, onVoid)]);

        var result = evaluator.Evaluate();

        Assert.Equal(0.0, result.PerClass["car"].AP);
        Assert.Equal(0.0, result.PerClass["car"].AP50);
    }

    [Fact]
    public void EvaluateFiles_MissingInstanceIdsPng_ThrowsFileNotFound()
    {
        string root = Directory.CreateTempSubdirectory("cityscapes-eval-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "aachen_000099_000019_pred.txt"), "");
            string missing = Path.Combine(root, "aachen_000099_000019_gtFine_instanceIds.png");

            Assert.Throws<FileNotFoundException>(() => CityscapesInstanceEvaluator.EvaluateFiles([missing], root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void EvaluateFiles_PredictionMaskOfWrongSize_Throws()
    {
        string root = Directory.CreateTempSubdirectory("cityscapes-eval-").FullName;
        try
        {
            CityscapesPredictionFileWriter.Write(root, "aachen_000000_000019", [new CityscapesInstancePrediction(26, 0.5, 16, 8, new bool[16 * 8])]);

            var e = Assert.Throws<ArgumentException>(() => CityscapesInstanceEvaluator.EvaluateFiles([HandMadeGroundTruth], root));

            Assert.Contains("16x8", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ReadPredictionFile_UnknownLabelId_ThrowsInvalidDataNamingFileAndId()
    {
        string root = Directory.CreateTempSubdirectory("cityscapes-eval-").FullName;
        try
        {
            string text = CityscapesPredictionFileWriter.Write(root, "aachen_000000_000019", [new CityscapesInstancePrediction(77, 0.5, 16, 8, new bool[16 * 8])]);

            var e = Assert.Throws<InvalidDataException>(() => new CityscapesPredictionFileReader(root).Read(text));

            Assert.Contains("label id 77", e.Message);
            Assert.Contains("aachen_000000_000019_pred.txt", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("mask.png 26")]
    [InlineData("mask.png 26 0.5 extra")]
    [InlineData("mask.png car 0.5")]
    [InlineData("../outside.png 26 0.5")]
    public void ReadPredictionFile_MalformedLine_ThrowsInvalidDataWithLineNumber(string line)
    {
        string root = Directory.CreateTempSubdirectory("cityscapes-eval-").FullName;
        try
        {
            string text = Path.Combine(root, "aachen_000000_000019_pred.txt");
            File.WriteAllText(text, line + "\n");

            var e = Assert.Throws<InvalidDataException>(() => new CityscapesPredictionFileReader(root).Read(text));

            Assert.Contains(":1:", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FindPredictionFile_GoldenLayout_FindsTheOneFileOfTheFrame()
    {
        var reader = new CityscapesPredictionFileReader(CityscapesGolden.PredictionRoot);

        string found = reader.Find(HandMadeGroundTruth);

        Assert.Equal("aachen_000000_000019_pred.txt", Path.GetFileName(found));
        Assert.Throws<InvalidDataException>(() => reader.Find("aachen_000099_000019_gtFine_instanceIds.png"));
    }

    [Theory]
    [InlineData("gtFine/val/aachen/aachen_000000_000019_gtFine_instanceIds.png", "aachen_000000_000019")]
    [InlineData("aachen_000000_000019_leftImg8bit.png", "aachen_000000_000019")]
    [InlineData("bremen_000001_000019_pred.txt", "bremen_000001_000019")]
    public void CoreName_CityscapesFileNames_AreCitySequenceFrame(string path, string expected) =>
        Assert.Equal(expected, CityscapesFileName.CoreName(path));

    [Fact]
    public void CoreName_NameWithTooFewParts_Throws() =>
        Assert.Throws<InvalidDataException>(() => CityscapesFileName.CoreName("aachen_000000.png"));
}
