using System.Globalization;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// The on-disk shard format: WebDataset-compatible POSIX ustar tars <c>shard-000000.tar</c>, each sample stored as
/// <c>{key}.jpg|png</c> (the source bytes) followed by <c>{key}.json</c> (<see cref="ShardAnnotation"/>), plus one
/// <c>index.json</c> (<see cref="ShardIndex"/>). Every header field that could vary between machines is fixed,
/// so the same source always gives byte-identical shards.
/// </summary>
public static class ShardFormat
{
    /// <summary>Bumped whenever the bytes written for an unchanged source change.</summary>
    public const int Version = 1;

    public const string IndexName = "index.json";
    public const string AnnotationExtension = "json";

    /// <summary>ustar header and data are written in 512-byte blocks.</summary>
    public const int BlockSize = 512;

    /// <summary>Two zero blocks end a tar archive.</summary>
    public const int EndOfArchiveBytes = 2 * BlockSize;

    /// <summary>Shard file name of shard <paramref name="index"/>: <c>shard-000123.tar</c>.</summary>
    public static string ShardName(int index) => $"shard-{index.ToString("D6", CultureInfo.InvariantCulture)}.tar";

    /// <summary>
    /// Sample key: the sample's position in the dataset order, zero-padded to at least six digits (wider only for
    /// datasets of a million images or more), so names stay far below ustar's 100-byte limit and sort like the samples.
    /// </summary>
    public static string Key(int sampleIndex, int sampleCount)
    {
        int digits = Math.Max(6, (Math.Max(sampleCount, 1) - 1).ToString(CultureInfo.InvariantCulture).Length);
        return sampleIndex.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The shard extension of an image file: <c>jpg</c> for .jpg/.jpeg, <c>png</c> for .png.</summary>
    /// <exception cref="InvalidDataException">Any other extension.</exception>
    public static string ImageExtension(string imagePath) => Path.GetExtension(imagePath).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "jpg",
        ".png" => "png",
        var other => throw new InvalidDataException($"'{imagePath}': only .jpg, .jpeg and .png images can be sharded, not '{other}'."),
    };

    /// <summary>True for the image extensions a shard may hold.</summary>
    public static bool IsImageExtension(string extension) => extension is "jpg" or "jpeg" or "png";

    /// <summary>Bytes a member of <paramref name="length"/> bytes takes in a ustar archive: header plus padded data.</summary>
    public static long EntryBytes(long length) => BlockSize + (length + BlockSize - 1) / BlockSize * BlockSize;
}
