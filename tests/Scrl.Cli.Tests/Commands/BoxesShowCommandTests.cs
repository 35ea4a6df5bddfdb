using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Randomness;
using Scrl.Core.Reporting;
using SkiaSharp;
using static TorchSharp.torch;

namespace Scrl.Cli.Tests.Commands;

public sealed class BoxesShowCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Show_GeneratedImage_WritesAPngAndExactlyTheGeneratorsBoxesForThatSeed(long seed)
    {
        string image = coco.ReadTrain().Records[0].ImagePath;
        string png = Path.Combine(coco.NewFolder(), "pairs.png");

        var (code, text) = await CliRunner.RunAsync("boxes", "show", "--image", image, "-k", "4", "--seed", seed.ToString(), "--out", png);

        Assert.True(code == 0, text);
        var written = ReadPairs(Path.ChangeExtension(png, ".json"));
        var expected = GeneratorPairs(image, seed, k: 4);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, written);   // bit for bit: the command runs the generator, it does not re-derive boxes
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var colours = bitmap.Pixels.ToHashSet();
        for (int i = 0; i < expected.Count; i++) Assert.Contains(BoxPairPicture.ColourOf(i), colours);
    }

    [Fact]
    public async Task Show_MissingImage_SaysWhichFile()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => CliRunner.RunAsync("boxes", "show", "--image", "nowhere.jpg"));
        Assert.Contains("nowhere.jpg", error.Message);
    }

    /// <summary>A direct call of the augmenter and the box generator, with the seeds pretraining derives for sample 0 of
    /// the first batch (augmentation stream 1 per sample, box stream 2 per batch).</summary>
    private static List<float[]> GeneratorPairs(string imagePath, long seed, int k)
    {
        var config = ConfigLoader.Load("demo");
        using var scope = NewDisposeScope();
        var image = ImageDecoder.DecodeFile(imagePath);
        var views = new TwoViewAugmenter(config.Augment).Apply([image], [SeededRandom.For(seed, 0, 0, 1)]);
        var pairs = new SpatialBoxGenerator(config.Boxes with { BoxesPerImage = k })
            .Generate(views.Geometry1, views.Geometry2, SeededRandom.For(seed, 0, 0, 2));
        if (pairs.Rois1.shape[0] == 0) return [];
        var rois1 = pairs.Rois1.data<float>().ToArray();
        var rois2 = pairs.Rois2.data<float>().ToArray();
        return [.. Enumerable.Range(0, rois1.Length / 5).Select(r => (float[])[.. rois1[(5 * r + 1)..(5 * r + 5)], .. rois2[(5 * r + 1)..(5 * r + 5)]])];
    }

    private static List<float[]> ReadPairs(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return [.. doc.RootElement.GetProperty("pairs").EnumerateArray().Select(p => (float[])[
            .. p.GetProperty("view1").EnumerateArray().Select(v => v.GetSingle()),
            .. p.GetProperty("view2").EnumerateArray().Select(v => v.GetSingle())])];
    }
}
