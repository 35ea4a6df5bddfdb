using Scrl.Core.Data;
using Scrl.Core.Tests.Support;
using SkiaSharp;

namespace Scrl.Core.Tests.Data;

/// <summary>
/// The marker walk may only say yes where Skia's full decode says yes with the same size: held against Skia on encoded,
/// truncated and corrupted JPEGs, and on the real COCO images.
/// </summary>
public sealed class JpegStructureTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 33)]
    [InlineData(40, 30)]
    [InlineData(640, 427)]
    public void CompleteSize_EncodedJpeg_IsTheDecodedSize(int width, int height)
    {
        var jpeg = TestImages.NoiseJpeg(width, height);

        Assert.Equal(ImageDecoder.Check(jpeg, "noise.jpg"), JpegStructure.CompleteSize(jpeg));
        Assert.Equal((width, height), JpegStructure.CompleteSize(jpeg));
    }

    [Fact]
    public void CompleteSize_GreyJpeg_IsTheDecodedSize()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(24, 18, SKColorType.Gray8));
        bitmap.Erase(new SKColor(90, 90, 90));
        using var data = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 80);
        var jpeg = data.ToArray();

        Assert.Equal((24, 18), JpegStructure.CompleteSize(jpeg));
        Assert.Equal(ImageDecoder.Check(jpeg, "grey.jpg"), JpegStructure.CompleteSize(jpeg));
    }

    [Fact]
    public void CompleteSize_EveryTruncation_IsLeftToTheDecoder()
    {
        var jpeg = TestImages.NoiseJpeg(40, 30, seed: 3);

        for (int length = 0; length < jpeg.Length; length++)
            Assert.True(JpegStructure.CompleteSize(jpeg.AsSpan(0, length)) is null, $"accepted the first {length} of {jpeg.Length} bytes");
    }

    [Fact]
    public void CompleteSize_CorruptedBytes_AcceptedOnlyWhereSkiaDecodesTheSameSize()
    {
        var original = TestImages.NoiseJpeg(48, 32, seed: 5);
        var random = new Random(11);
        int headerBytes = HeaderLength(original);
        int accepted = 0, rejected = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            var jpeg = (byte[])original.Clone();
            // Two thirds of the changes hit the headers, where the walk decides; the rest hit the entropy-coded data.
            int at = trial % 3 < 2 ? random.Next(headerBytes) : random.Next(headerBytes, jpeg.Length);
            jpeg[at] = (byte)random.Next(256);

            if (JpegStructure.CompleteSize(jpeg) is not { } size)
            {
                rejected++;
                continue;
            }
            accepted++;
            Assert.Equal(ImageDecoder.Check(jpeg, $"byte {at} set to {jpeg[at]}"), size);
        }
        Assert.True(accepted > 100 && rejected > 100, $"accepted {accepted}, rejected {rejected}: the corruptions should land on both sides");
    }

    [Fact]
    public void CompleteSize_Png_IsLeftToTheDecoder()
    {
        using var bitmap = new SKBitmap(8, 8);
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);

        Assert.Null(JpegStructure.CompleteSize(png.AsSpan()));
    }

    [Fact]
    [Trait("Category", "Shared")]
    public void CompleteSize_CocoTinyImages_AreTheDecodedSizes()
    {
        var files = Directory.GetFiles(SharedData.Folder("data/coco-tiny"), "*.jpg", SearchOption.AllDirectories);

        Assert.Equal(160, files.Length);
        foreach (string file in files)
        {
            var jpeg = File.ReadAllBytes(file);
            Assert.Equal(ImageDecoder.Check(jpeg, file), JpegStructure.CompleteSize(jpeg) ?? throw new Xunit.Sdk.XunitException($"{file} was left to the decoder"));
        }
    }

    // Bytes before the entropy-coded data of the first scan: SOI, the segments, and the SOS segment itself.
    private static int HeaderLength(byte[] jpeg)
    {
        int pos = 2;
        while (jpeg[pos + 1] != 0xDA) pos += 2 + (jpeg[pos + 2] << 8 | jpeg[pos + 3]);
        return pos + 2 + (jpeg[pos + 2] << 8 | jpeg[pos + 3]);
    }
}
