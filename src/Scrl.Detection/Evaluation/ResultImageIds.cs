using System.Globalization;
using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// The numeric <c>image_id</c> a COCO results entry carries for a dataset record. COCO ids are numbers already;
/// VOC2012 ids like <c>2008_000008</c> become their digits (2008000008), which is stable across subsets of the
/// dataset and still readable next to the file name.
/// </summary>
public static class ResultImageIds
{
    /// <summary>Digits in a long that can never overflow.</summary>
    private const int MaxDigits = 18;

    /// <param name="imageId">A record's id: digits, optionally in groups joined by '_' (<c>397133</c>, <c>000005</c>, <c>2008_000008</c>).</param>
    /// <exception cref="InvalidDataException">The id has another form, or too many digits for a results id.</exception>
    public static long Of(string imageId)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        string digits = imageId.Replace("_", "", StringComparison.Ordinal);
        bool wellFormed = digits.Length is > 0 and <= MaxDigits && digits.All(char.IsAsciiDigit)
                          && !imageId.StartsWith('_') && !imageId.EndsWith('_') && !imageId.Contains("__", StringComparison.Ordinal);
        if (!wellFormed)
            throw new InvalidDataException($"image id '{imageId}' has no numeric form for COCO results: expected up to {MaxDigits} digits, optionally grouped with '_' (as VOC's 2008_000008)");
        return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The results id of the record at <paramref name="position"/> of a split: <see cref="Of(string)"/> of its id, except
    /// for Cityscapes, whose frame ids (<c>aachen_000000_000019</c>) have no numeric form: its frames are numbered by
    /// position in the split (sorted by city and frame), from 1.
    /// </summary>
    public static long Of(DatasetFormat format, DatasetRecord record, int position)
    {
        ArgumentNullException.ThrowIfNull(record);
        return format == DatasetFormat.Cityscapes ? position + 1L : Of(record.ImageId);
    }

    /// <summary>Record id by results id, for mapping detections back to their images.</summary>
    /// <exception cref="InvalidDataException">Two ids map to the same number (their files are named).</exception>
    public static IReadOnlyDictionary<long, string> Index(IEnumerable<string> imageIds)
    {
        var index = new Dictionary<long, string>();
        foreach (string id in imageIds)
            if (!index.TryAdd(Of(id), id))
                throw new InvalidDataException($"image ids '{index[Of(id)]}' and '{id}' share the results id {Of(id)}");
        return index;
    }
}
