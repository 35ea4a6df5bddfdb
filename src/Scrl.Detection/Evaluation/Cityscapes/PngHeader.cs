using System.Buffers.Binary;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>The IHDR fields of a PNG file that decide how its samples are read.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType)
{
    public const int Grayscale = 0;

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <exception cref="InvalidDataException">The bytes do not start with a PNG signature and an IHDR chunk.</exception>
    public static PngHeader Parse(ReadOnlySpan<byte> png, string path)
    {
        // signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4) + bit depth (1) + colour type (1)
        if (png.Length < 26 || !png[..8].SequenceEqual(Signature) || !png[12..16].SequenceEqual("IHDR"u8))
            throw new InvalidDataException($"'{path}' is not a PNG file.");
        return new PngHeader(BinaryPrimitives.ReadInt32BigEndian(png[16..]), BinaryPrimitives.ReadInt32BigEndian(png[20..]), png[24], png[25]);
    }
}
