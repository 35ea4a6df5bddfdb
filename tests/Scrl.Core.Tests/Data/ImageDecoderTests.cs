using Scrl.Core.Data;
using Scrl.Core.Tests.Support;
using SkiaSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Data;

public class ImageDecoderTests
{
    [Fact]
    public void Decode_Png_ReturnsExactRgbChannelsFirst()
    {
        // A 3x2 image with distinct values per pixel and channel, and alpha that must be dropped, not composited.
        var info = new SKImageInfo(3, 2, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(10 * x + y), (byte)(100 + x), (byte)(200 + y), (byte)(255 - 50 * x)));
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);

        using var image = ImageDecoder.Decode(png.AsSpan(), "pixels.png");

        Assert.Equal(ScalarType.Byte, image.dtype);
        Assert.Equal(new long[] { 3, 2, 3 }, image.shape);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
            {
                Assert.Equal(10 * x + y, image[0, y, x].item<byte>());
                Assert.Equal(100 + x, image[1, y, x].item<byte>());
                Assert.Equal(200 + y, image[2, y, x].item<byte>());
            }
    }

    [Fact]
    public void DecodeFile_Jpeg_HasImageSize()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("photo.jpg");
        File.WriteAllBytes(path, TestImages.NoiseJpeg(width: 50, height: 30));

        using var image = ImageDecoder.DecodeFile(path);

        Assert.Equal(new long[] { 3, 30, 50 }, image.shape);
        Assert.True(image.to_type(ScalarType.Float32).std().item<float>() > 1, "decoded pixels are not constant");
    }

    // PIL's Image.open(p).convert("RGB") of each file, as [3, H, W] bytes (golden/decode/make_decode.py).
    [Theory]
    [InlineData("baseline_420.jpg")]
    [InlineData("baseline_444.jpg")]
    [InlineData("progressive.jpg")]
    [InlineData("grayscale.jpg")]
    public void Decode_Jpeg_GivesPilsPixels_WithEitherDecoder(string name)
    {
        AssertTurboJpegInstalled();
        var jpeg = File.ReadAllBytes(Golden.PathOf($"decode/{name}"));
        var expected = PilGolden("decode.json")[name];

        using var fast = ImageDecoder.DecodeWithTurboJpeg(jpeg) ?? throw new Xunit.Sdk.XunitException("libjpeg-turbo refused a valid JPEG");
        using var skia = ImageDecoder.DecodeWithSkia(jpeg, name);
        Assert.Equal(expected, PilHash.Of(fast));
        Assert.Equal(expected, PilHash.Of(skia));
    }

    [Fact]
    public void Decode_CmykJpeg_IsLeftToSkia_WhichGivesPilsPixels()
    {
        AssertTurboJpegInstalled();
        var jpeg = File.ReadAllBytes(Golden.PathOf("decode/cmyk.jpg"));

        Assert.Null(ImageDecoder.DecodeWithTurboJpeg(jpeg));
        using var image = ImageDecoder.Decode(jpeg, "cmyk.jpg");
        Assert.Equal(PilGolden("decode.json")["cmyk.jpg"], PilHash.Of(image));
    }

    [Fact]
    [Trait("Category", "Shared")]
    public void Decode_CocoTinyImages_GivesPilsPixels_WithEitherDecoder()
    {
        AssertTurboJpegInstalled();
        var files = Directory.GetFiles(SharedData.Folder("data/coco-tiny"), "*.jpg", SearchOption.AllDirectories);
        var golden = PilGolden("coco_tiny.json");

        Assert.Equal(golden.Count, files.Length);
        foreach (string file in files)
        {
            var jpeg = File.ReadAllBytes(file);
            using var fast = ImageDecoder.DecodeWithTurboJpeg(jpeg) ?? throw new Xunit.Sdk.XunitException($"libjpeg-turbo refused {file}");
            using var skia = ImageDecoder.DecodeWithSkia(jpeg, file);
            Assert.Equal(golden[Path.GetFileName(file)], PilHash.Of(fast));
            Assert.Equal(golden[Path.GetFileName(file)], PilHash.Of(skia));
        }
    }

    [Fact]
    public void DecodeWithTurboJpeg_TruncatedJpeg_RefusesInsteadOfPaddingWithGrey()
    {
        AssertTurboJpegInstalled();
        var jpeg = TestImages.NoiseJpeg(width: 120, height: 90);

        Assert.Null(ImageDecoder.DecodeWithTurboJpeg(jpeg[..(jpeg.Length / 2)]));
    }

    [Fact]
    public void DecodeFile_TruncatedJpeg_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("truncated.jpg");
        var jpeg = TestImages.NoiseJpeg(width: 120, height: 90);
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeFile(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x42, 0x41, 0x44, 0x21, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[0])]
    public void DecodeFile_NotAnImage_ThrowsNamingTheFile(byte[] content)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("notes.png");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeFile(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void DecodeFile_MissingFile_ThrowsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.jpg");
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeFile(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Check_HeaderClaimingHugeSize_ThrowsNamingTheSource()
    {
        var jpeg = TestImages.NoiseJpeg(64, 48);
        int frame = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0);   // SOF0
        byte[] largest = [0xFF, 0xDC, 0xFF, 0xDC];                                   // height, width: 65500, libjpeg's limit
        largest.CopyTo(jpeg, frame + 5);

        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Check(jpeg, "huge.jpg"));
        Assert.Contains("huge.jpg", error.Message);
    }

    [Fact]
    public void Check_ValidJpeg_ReturnsSize() =>
        Assert.Equal((64, 48), ImageDecoder.Check(TestImages.NoiseJpeg(64, 48), "check.jpg"));

    private static void AssertTurboJpegInstalled() =>
        Assert.True(TurboJpeg.IsAvailable, "libjpeg-turbo's TurboJPEG library is not installed (Debian: libturbojpeg0; build/test.sh installs it)");

    private static Dictionary<string, PilHash> PilGolden(string file) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, PilHash>>(
            File.ReadAllText(Golden.PathOf($"decode/{file}")), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

    private sealed record PilHash(int Height, int Width, string Sha256)
    {
        public static PilHash Of(Tensor chw)
        {
            using var planar = chw.contiguous();   // the decoders hand out interleaved pixels
            return new((int)chw.shape[1], (int)chw.shape[2], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(planar.bytes)));
        }
    }
}
