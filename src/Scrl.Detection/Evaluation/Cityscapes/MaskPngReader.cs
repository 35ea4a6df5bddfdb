using StbImageSharp;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>Reads a prediction mask PNG as the script does: <c>Image.open(f).convert("L") != 0</c>.</summary>
internal static class MaskPngReader
{
    /// <returns>Row-major inside flags [H*W].</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not a decodable PNG.</exception>
    public static (int Width, int Height, bool[] Inside) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Prediction mask '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        var header = PngHeader.Parse(bytes, path);
        if (header.ColorType == PngHeader.Grayscale && header.BitDepth == 16)
        {
            // PIL clips 16-bit gray to 0..255 for "L", so any non-zero sample is inside; stb's 8-bit path would keep the high byte only.
            var (w, h, samples) = StbPngDecoder.DecodeGray16(bytes, path);
            return (w, h, Array.ConvertAll(samples, s => s != 0));
        }
        var image = StbPngDecoder.Decode8(bytes, ColorComponents.RedGreenBlue, path);
        var rgb = image.Data;
        var inside = new bool[image.Width * image.Height];
        for (int i = 0, j = 0; i < inside.Length; i++, j += 3)
            inside[i] = (rgb[j] * 19595 + rgb[j + 1] * 38470 + rgb[j + 2] * 7471 + 0x8000) >> 16 != 0;   // PIL's RGB -> L
        return (image.Width, image.Height, inside);
    }
}
