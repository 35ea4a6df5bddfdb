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
        if (header.BitDepth == 16) return StbPngDecoder.DecodeGray16(bytes, path);
        var image = StbPngDecoder.Decode8(bytes, ColorComponents.Grey, path);
        return (image.Width, image.Height, Array.ConvertAll(image.Data, b => (ushort)b));
    }
}
