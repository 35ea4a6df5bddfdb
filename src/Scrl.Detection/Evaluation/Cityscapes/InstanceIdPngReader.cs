using System.Runtime.InteropServices;
using StbImageSharp;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>Reads the exact samples of a grayscale PNG (8- or 16-bit), as PIL's <c>np.array(Image.open(path))</c> does.</summary>
internal static class InstanceIdPngReader
{
    /// <returns>Row-major samples [H*W].</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not a grayscale 8- or 16-bit PNG, or undecodable.</exception>
    public static (int Width, int Height, ushort[] Samples) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Cityscapes instanceIds PNG '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        var header = PngHeader.Parse(bytes, path);
        if (header.ColorType != PngHeader.Grayscale || header.BitDepth is not (8 or 16))
            throw new InvalidDataException($"'{path}': an instanceIds PNG is 8- or 16-bit grayscale, this one has colour type {header.ColorType}, bit depth {header.BitDepth}.");
        if (header.BitDepth == 16) return Read16(bytes, path);
        var image = ImageResult.FromMemory(bytes, ColorComponents.Grey);
        return (image.Width, image.Height, Array.ConvertAll(image.Data, b => (ushort)b));
    }

    /// <summary>16-bit samples through stb_image's 16-bit loader (its public API keeps only 8 bits per sample).</summary>
    internal static (int Width, int Height, ushort[] Samples) Read16(byte[] png, string path)
    {
        unsafe
        {
            using var stream = new MemoryStream(png, writable: false);
            var context = new StbImage.stbi__context(stream);
            int width, height, components;
            ushort* data = StbImage.stbi__load_and_postprocess_16bit(context, &width, &height, &components, 1);
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
