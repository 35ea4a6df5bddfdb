using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.Reporting;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using SkiaSharp;

namespace Scrl.Core.Tests.Reporting;

public class BoxPairReportTests
{
    [Fact]
    public async Task WriteAsync_ScrlRun_DrawsTheFirstBatchImagesAndTheReportShowsThem()
    {
        using var temp = new TempDirectory();
        string images = Directory.CreateDirectory(Path.Combine(temp.Path, "images")).FullName;
        for (int i = 0; i < 5; i++) File.WriteAllBytes(Path.Combine(images, $"{i}.jpg"), TestImages.NoiseJpeg(160, 128, seed: i + 1));
        var source = new ImageListSampleSource(UnlabeledImageSource.FromImageFolder(images));
        var layout = new RunLayout(Path.Combine(temp.Path, "run"));
        var config = ConfigLoader.Load("demo");

        var pictures = await BoxPairReport.WriteAsync(layout, config, source);
        RunReport.Write(layout, pictures);

        Assert.Equal(["boxes-0.png", "boxes-1.png", "boxes-2.png"], pictures);
        foreach (string file in pictures)
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(layout.Report, file));
            Assert.Equal(2 * 320 + 16, bitmap.Width);   // two 96 px views drawn at 320 px, and the gap
        }
        string markdown = File.ReadAllText(Path.Combine(layout.Report, RunReport.MarkdownFile));
        Assert.Contains("## Box pairs of the first batch", markdown);
        Assert.Contains("![boxes-2](boxes-2.png)", markdown);
    }

    [Fact]
    public async Task WriteAsync_ByolRun_DrawsNothing()
    {
        using var temp = new TempDirectory();
        string images = Directory.CreateDirectory(Path.Combine(temp.Path, "images")).FullName;
        File.WriteAllBytes(Path.Combine(images, "0.jpg"), TestImages.NoiseJpeg(64, 64));
        var config = ConfigLoader.Load("demo") with { Method = PretrainMethod.Byol };

        var pictures = await BoxPairReport.WriteAsync(new RunLayout(Path.Combine(temp.Path, "run")), config,
                                                      new ImageListSampleSource(UnlabeledImageSource.FromImageFolder(images)));

        Assert.Empty(pictures);
    }
}
