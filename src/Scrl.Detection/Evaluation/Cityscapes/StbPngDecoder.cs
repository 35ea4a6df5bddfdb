using System.Runtime.InteropServices;
using StbImageSharp;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>PNG decoding through StbImageSharp, its failures reported as <see cref="InvalidDataException"/> naming the file.</summary>
internal static class StbPngDecoder
{
    /// <summary>8 bits per sample (16-bit files keep their high byte), converted to <paramref name="components"/>.</summary>
    public static ImageResult Decode8(byte[] png, ColorComponents components, string path)
    {
        try
        {
            return ImageResult.FromMemory(png, components);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"'{path}': cannot decode the PNG ({e.Message.Trim()}).", e);
        }
    }

    /// <summary>One 16-bit channel, exact, through stb_image's 16-bit loader (StbImageSharp's public API keeps only 8 bits).</summary>
    /// <returns>Row-major samples [H*W].</returns>
    public static (int Width, int Height, ushort[] Samples) DecodeGray16(byte[] png, string path)
    {
        unsafe
        {
            using var stream = new MemoryStream(png, writable: false);
            var context = new StbImage.stbi__context(stream);
            int width, height, components;
            ushort* data;
            try
            {
                data = StbImage.stbi__load_and_postprocess_16bit(context, &width, &height, &components, 1);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"'{path}': cannot decode the 16-bit PNG ({e.Message.Trim()}).", e);
            }
            if (data == null) throw new InvalidDataException($"'{path}': cannot decode the 16-bit PNG ({StbImage.stbi__g_failure_reason}).");
            try
            {
                return (width, height, new ReadOnlySpan<ushort>(data, checked(width * height)).ToArray());
            }
            finally
            {
                Marshal.FreeHGlobal((IntPtr)data);   // StbImageSharp allocates its results with Marshal.AllocHGlobal
            }
        }
    }
}
