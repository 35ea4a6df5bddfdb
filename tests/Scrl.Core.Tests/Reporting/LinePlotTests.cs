using Scrl.Core.Reporting;

namespace Scrl.Core.Tests.Reporting;

public class LinePlotTests
{
    private static PlotSeries Series(string label, params double[] ys) =>
        new(label, [.. ys.Select((y, i) => ((double)i * 10, y))]);

    [Fact]
    public void RenderPng_DefaultSize_DrawsLineAndTitleText()
    {
        var plot = new LinePlot("Loss", [Series("loss", 4, 3, 2.5, 2, 1.8, 1.7)]) { XLabel = "step", YLabel = "loss" };

        using var png = new PngPixels(plot.RenderPng());

        Assert.Equal((800, 480), (png.Width, png.Height));
        Assert.True(png.CountColour(PngPixels.SeriesBlue, 100, 40, 780, 420) > 500);   // a 2 px line across the plot area
        Assert.True(png.CountInk(330, 0, 470, 30) > 30);                               // the title's glyphs, above the frame
        Assert.Equal(0, png.CountInk(0, 0, 60, 20));                                   // while the corner stays background
    }

    [Fact]
    public void RenderPng_SeveralSeries_DrawsLegend()
    {
        // The second series has no finite value, so any orange pixel can only be its legend swatch.
        var single = new LinePlot("t", [Series("a", 1, 2, 3)]);
        var pair = new LinePlot("t", [Series("a", 1, 2, 3), Series("b", double.NaN, double.NaN, double.NaN)]);

        using var singlePng = new PngPixels(single.RenderPng());
        using var pairPng = new PngPixels(pair.RenderPng());

        Assert.Equal(0, singlePng.CountColour(PngPixels.SeriesOrange));
        Assert.True(pairPng.CountColour(PngPixels.SeriesOrange, 600, 20, 800, 120) > 20);
    }

    [Fact]
    public void RenderPng_NaN_BreaksTheLine()
    {
        // Points at x = 0 and x = 20 with a gap between: the middle of the plot must stay empty of series colour.
        var joined = new LinePlot("t", [Series("a", 1, 2, 3)]);
        var gapped = new LinePlot("t", [Series("a", 1, double.NaN, 3)]);

        using var joinedPng = new PngPixels(joined.RenderPng());
        using var gappedPng = new PngPixels(gapped.RenderPng());

        Assert.True(joinedPng.CountColour(PngPixels.SeriesBlue, 380, 40, 440, 440) > 20);
        Assert.Equal(0, gappedPng.CountColour(PngPixels.SeriesBlue, 380, 40, 440, 440));
        Assert.True(gappedPng.CountColour(PngPixels.SeriesBlue) > 20);   // both isolated ends are drawn as dots
    }

    [Fact]
    public void RenderPng_SinglePoint_DrawsADot()
    {
        var plot = new LinePlot("t", [new PlotSeries("a", [(100.0, 0.5)])]) { Width = 400, Height = 300 };

        using var png = new PngPixels(plot.RenderPng());

        Assert.Equal((400, 300), (png.Width, png.Height));
        Assert.InRange(png.CountColour(PngPixels.SeriesBlue), 10, 60);   // a 3 px radius dot, not a line
    }

    [Fact]
    public void RenderPng_LogY_SkipsNonPositiveValues()
    {
        var plot = new LinePlot("lr", [Series("lr", 0, 1e-4, 1e-3, 1e-2, 0.1, -1)]) { LogY = true };

        using var png = new PngPixels(plot.RenderPng());

        Assert.True(png.CountColour(PngPixels.SeriesBlue) > 200);
    }

    [Fact]
    public void RenderPng_NoFiniteData_StillRenders()
    {
        var plot = new LinePlot("empty", [Series("a", double.NaN), new PlotSeries("b", [])]);

        using var png = new PngPixels(plot.RenderPng());

        Assert.Equal(0, png.CountColour(PngPixels.SeriesBlue));
        Assert.True(png.CountInk(300, 200, 500, 280) > 20);   // the "no data" note in the middle
    }
}
