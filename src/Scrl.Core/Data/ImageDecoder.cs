using SkiaSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Data;

/// <summary>
/// Decodes JPEG and PNG bytes into RGB uint8 tensors [3, H, W], like PIL's <c>Image.open(p).convert("RGB")</c>:
/// EXIF orientation and ICC profiles are ignored and alpha is dropped without compositing. JPEGs go through the
/// system's libjpeg-turbo where it is installed (<see cref="TurboJpeg"/>: the same pixels, faster), everything
/// else and every failure through SkiaSharp. Any decode failure, including a truncated file, throws <see cref="InvalidDataException"/>
/// naming the source, because a silently grey half-image would poison training.
/// </summary>
/// <remarks>
/// The tensor is a [3, H, W] view of interleaved pixels (strides [1, 3W, 3]), the layout decoders write: crops and
/// libtorch's uint8 resize read it row by row, where a planar copy would cost a transposing pass per image and
/// another one back inside the resize. Call <c>contiguous()</c> before reading its raw bytes.
/// Thread-safe. The returned tensor belongs to the caller's dispose scope if one is open on the calling
/// thread, and to nobody otherwise (background decoding relies on that).
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Which library decodes JPEGs here, for diagnostics.</summary>
    public static string JpegBackend => TurboJpeg.LibraryName is { } name
        ? $"libjpeg-turbo ({name})"
        : "SkiaSharp (install libjpeg-turbo's TurboJPEG library, Debian: libturbojpeg0, to decode faster)";

    /// <summary>Reads and decodes the image file at <paramref name="path"/>. Returns uint8 [3, H, W].</summary>
    public static Tensor DecodeFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read image '{path}': {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes. <paramref name="sourceName"/> (file or shard entry) goes into error messages. Returns uint8 [3, H, W].</summary>
    public static Tensor Decode(ReadOnlySpan<byte> encoded, string sourceName) =>
        DecodeWithTurboJpeg(encoded) ?? DecodeWithSkia(encoded, sourceName);

    /// <summary>The fallback decoder alone (for tests that compare the two).</summary>
    internal static Tensor DecodeWithSkia(ReadOnlySpan<byte> encoded, string sourceName)
    {
        using var data = CopyToSkia(encoded, sourceName);
        using var codec = OpenCodec(data, sourceName);
        using var rgba = empty([codec.Info.Height, codec.Info.Width, 4], ScalarType.Byte);  // [H, W, 4]
        ReadRgba(codec, rgba.bytes, sourceName);                                             // Skia writes straight into the tensor
        using var rgb = rgba.narrow(2, 0, 3).contiguous();                                  // [H, W, 3]
        return rgb.permute(2, 0, 1);                                                         // [3, H, W] view
    }

    /// <summary>Null when libjpeg-turbo is missing or does not decode the bytes cleanly; Skia then decodes or reports why not.</summary>
    internal static Tensor? DecodeWithTurboJpeg(ReadOnlySpan<byte> encoded)
    {
        using var jpeg = TurboJpeg.Open(encoded);
        if (jpeg is null) return null;
        using var hwc = empty([jpeg.Height, jpeg.Width, 3], ScalarType.Byte);                  // [H, W, 3]
        return jpeg.TryDecodeRgb(encoded, hwc.bytes) ? hwc.permute(2, 0, 1) : null;           // [3, H, W] view
    }

    /// <summary>Fully decodes the image without making a tensor; throws like <see cref="Decode"/>. For validation passes.</summary>
    public static (int Width, int Height) Check(ReadOnlySpan<byte> encoded, string sourceName)
    {
        using (var jpeg = TurboJpeg.Open(encoded))
        {
            if (jpeg is not null && jpeg.TryDecodeRgb(encoded, new byte[PixelBytes(jpeg.Width, jpeg.Height, 3, sourceName)])) return (jpeg.Width, jpeg.Height);
        }
        using var data = CopyToSkia(encoded, sourceName);
        using var codec = OpenCodec(data, sourceName);
        ReadRgba(codec, new byte[PixelBytes(codec.Info.Width, codec.Info.Height, 4, sourceName)], sourceName);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Width and height from the file's header alone (no pixel decode); null when the header is unreadable.</summary>
    public static (int Width, int Height)? ReadSize(string path)
    {
        using var codec = SKCodec.Create(path);
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    // A header may claim up to 65535 x 65535 pixels, whose bytes overflow an int and no array can hold.
    private static int PixelBytes(int width, int height, int channels, string sourceName)
    {
        long bytes = (long)width * height * channels;
        return bytes <= Array.MaxLength
            ? (int)bytes
            : throw new InvalidDataException($"Image '{sourceName}' claims {width}x{height} pixels, more than one image can hold here.");
    }

    private static SKData CopyToSkia(ReadOnlySpan<byte> encoded, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (encoded.IsEmpty) throw new InvalidDataException($"Image '{sourceName}' is empty (0 bytes).");
        return SKData.CreateCopy(encoded);
    }

    private static SKCodec OpenCodec(SKData data, string sourceName) =>
        SKCodec.Create(data) ?? throw new InvalidDataException($"Image '{sourceName}' is not a decodable image (unknown or corrupt header).");

    /// <summary>Decodes into row-major RGBA8888 (unpremultiplied, no colour-space conversion) of exactly the image's size.</summary>
    private static unsafe void ReadRgba(SKCodec codec, Span<byte> destination, string sourceName)
    {
        var size = codec.Info;
        // No colour space: keep the stored values as PIL does, rather than converting to sRGB.
        var target = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (destination.Length != target.BytesSize)
            throw new ArgumentException($"Destination holds {destination.Length} bytes, the image needs {target.BytesSize}.", nameof(destination));
        SKCodecResult result;
        fixed (byte* pixels = destination)
            result = codec.GetPixels(target, (IntPtr)pixels);
        // IncompleteInput means a truncated file: Skia fills the rest with zeros and calls it a partial success.
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Image '{sourceName}' could not be decoded ({size.Width}x{size.Height}): {result}.");
    }
}
