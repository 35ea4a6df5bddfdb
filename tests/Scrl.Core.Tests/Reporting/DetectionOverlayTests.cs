using Scrl.Core.Data.Coco;
using Scrl.Core.Reporting;
using Scrl.Core.Tests.Support;
using SkiaSharp;

namespace Scrl.Core.Tests.Reporting;

public class DetectionOverlayTests
{
    [Fact]
    public void Save_TintsPredictedMaskPixels_AndDrawsTheSkeletonsKeypoints()
    {
        using var temp = new TempDirectory();
        const int side = 64;                                   // drawn 6x larger (384 px), as small images are
        string image = temp.Combine("grey.png");
        using (var bitmap = new SKBitmap(side, side))
        {
            bitmap.Erase(new SKColor(128, 128, 128));
            File.WriteAllBytes(image, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        var mask = new byte[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side / 2; x++) mask[y * side + x] = 1;                              // the left half
        var keypoints = new double[3 * CocoPersonKeypoints.Count];
        keypoints[3 * 5] = 40; keypoints[3 * 5 + 1] = 20; keypoints[3 * 5 + 2] = 2;              // left shoulder
        keypoints[3 * 7] = 56; keypoints[3 * 7 + 1] = 20; keypoints[3 * 7 + 2] = 2;              // left elbow: the skeleton joins them

        string png = temp.Combine("overlay.png");
        DetectionOverlay.Save(image, [new OverlayBox(36, 10, 60, 30, "", Keypoints: keypoints)],
                              [new OverlayBox(0, 0, 32, 64, "", Mask: mask)], png);

        using var pixels = new PngPixels(File.ReadAllBytes(png));
        Assert.Equal(6 * side, pixels.Width);
        var grey = new SKColor(128, 128, 128);
        Assert.Equal(0, pixels.CountColour(grey, 30, 30, 150, 330));                                 // inside the mask: tinted red
        Assert.True(pixels.CountColour(grey, 220, 200, 380, 380) > 20_000, "outside the mask stays grey");
        Assert.True(pixels.CountColour(new SKColor(0x2c, 0xa0, 0x2c), 260, 115, 320, 125) > 50, "the limb between the two keypoints is drawn");
        Assert.True(pixels.CountColour(SKColors.White, 236, 116, 244, 124) > 4, "a keypoint is a white dot");
    }
}
