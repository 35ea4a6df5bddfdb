using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>
/// Writes in-memory predictions in cityscapesScripts' result format, for submission or inspection:
/// <c>{root}/{coreName}_pred.txt</c> with lines <c>masks/{coreName}_{k}.png labelId confidence</c>, and 8-bit gray masks (255 inside).
/// </summary>
public static class CityscapesPredictionFileWriter
{
    /// <param name="predictionRoot">Created if missing.</param>
    /// <param name="coreName"><c>{city}_{sequence}_{frame}</c>, e.g. from <see cref="CityscapesFileName.CoreName"/>.</param>
    /// <param name="predictions">Written in order; the confidence round-trips exactly.</param>
    /// <returns>The text file's path.</returns>
    public static string Write(string predictionRoot, string coreName, IReadOnlyList<CityscapesInstancePrediction> predictions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(predictionRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(coreName);
        ArgumentNullException.ThrowIfNull(predictions);
        if (coreName.Any(c => char.IsWhiteSpace(c) || c == '/' || c == '\\'))   // the format separates fields with spaces
            throw new ArgumentException($"'{coreName}' is not a file-name core (no spaces or separators).", nameof(coreName));
        string maskFolder = Path.Combine(predictionRoot, "masks");
        Directory.CreateDirectory(maskFolder);
        var lines = new List<string>(predictions.Count);
        for (int k = 0; k < predictions.Count; k++)
        {
            var p = predictions[k];
            if (p.Mask.Length != (long)p.Width * p.Height)
                throw new ArgumentException($"prediction {k}: {p.Mask.Length} mask values for {p.Width}x{p.Height}.", nameof(predictions));
            string relative = $"masks/{coreName}_{k:D3}.png";
            WriteMask(Path.Combine(predictionRoot, relative), p);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{relative} {p.LabelId} {p.Confidence:R}"));
        }
        string textFile = Path.Combine(predictionRoot, coreName + "_pred.txt");
        File.WriteAllText(textFile, string.Concat(lines.Select(l => l + "\n")));
        return textFile;
    }

    private static void WriteMask(string path, CityscapesInstancePrediction prediction)
    {
        var gray = new byte[prediction.Mask.Length];
        var mask = prediction.Mask.Span;
        for (int i = 0; i < gray.Length; i++) gray[i] = mask[i] ? (byte)255 : (byte)0;
        using var bitmap = new SKBitmap(new SKImageInfo(prediction.Width, prediction.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < prediction.Height; y++)                            // rows may be padded
            Marshal.Copy(gray, y * prediction.Width, bitmap.GetPixels() + y * bitmap.RowBytes, prediction.Width);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
