using System.Globalization;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>
/// Reads predictions in cityscapesScripts' result format: per image a text file under the prediction root whose lines
/// are <c>relative/mask.png labelId confidence</c>; a mask is inside where PIL's <c>convert("L")</c> is non-zero.
/// </summary>
/// <remarks>
/// Mirrors <c>getPrediction</c>, <c>readPredInfo</c> and the mask reading in <c>assignGt2Preds</c>: a mask listed on
/// several lines counts once, at its first position with its last label and confidence; predictions of labels the
/// evaluation skips (road, caravan, ...) are dropped without reading their masks; empty masks are kept (the matcher drops them).
/// </remarks>
public sealed class CityscapesPredictionFileReader
{
    private readonly string _root;
    private string[]? _textFiles;

    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public CityscapesPredictionFileReader(string predictionRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(predictionRoot);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(predictionRoot));
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"Prediction root '{_root}' does not exist.");
    }

    /// <summary>The one text file anywhere under the root named <c>{city}_{sequence}_{frame}*.txt</c> for this ground-truth file.</summary>
    /// <exception cref="InvalidDataException">No such file, or more than one.</exception>
    public string Find(string groundTruthFile)
    {
        string prefix = CityscapesFileName.CoreName(groundTruthFile);
        _textFiles ??= Directory.GetFiles(_root, "*.txt", SearchOption.AllDirectories);
        var found = _textFiles.Where(f => Path.GetFileName(f) is var n && n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal)).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InvalidDataException($"Found no prediction for ground truth '{groundTruthFile}' under '{_root}'."),
            _ => throw new InvalidDataException($"Found multiple predictions for ground truth '{groundTruthFile}': {string.Join(", ", found)}."),
        };
    }

    /// <summary>The evaluated predictions listed in one text file, masks loaded.</summary>
    /// <exception cref="FileNotFoundException">The text file or a mask is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed line, a mask path outside the root, an unknown label id, or an undecodable mask.</exception>
    public IReadOnlyList<CityscapesInstancePrediction> Read(string predictionTextFile)
    {
        string textFile = Path.GetFullPath(predictionTextFile);
        if (!File.Exists(textFile)) throw new FileNotFoundException($"Prediction file '{textFile}' does not exist.", textFile);
        var entries = new Dictionary<string, (int LabelId, double Confidence)>(StringComparer.Ordinal);
        var order = new List<string>();
        string[] lines = File.ReadAllText(textFile).ReplaceLineEndings("\n").Split('\n');
        int lineCount = lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;   // a final newline ends the last line
        for (int i = 0; i < lineCount; i++)
        {
            var (mask, labelId, confidence) = ParseLine(lines[i], textFile, i + 1);
            if (!entries.ContainsKey(mask)) order.Add(mask);
            entries[mask] = (labelId, confidence);
        }

        var predictions = new List<CityscapesInstancePrediction>(order.Count);
        foreach (string mask in order)
        {
            var (labelId, confidence) = entries[mask];
            if (CityscapesLabels.Find(labelId) is null)
                throw new InvalidDataException($"{textFile}: label id {labelId} of '{mask}' is not a Cityscapes label id (labels.py).");
            if (CityscapesLabels.InstanceClassIndex(labelId) < 0) continue;
            var (width, height, inside) = MaskPngReader.Read(mask);
            predictions.Add(new CityscapesInstancePrediction(labelId, confidence, width, height, inside));
        }
        return predictions;
    }

    private (string Mask, int LabelId, double Confidence) ParseLine(string line, string textFile, int lineNumber)
    {
        var fields = line.Split(' ');
        if (fields.Length != 3)
            throw new InvalidDataException($"{textFile}:{lineNumber}: expected 'relPathPrediction labelIDPrediction confidencePrediction', got '{line}'.");
        if (Path.IsPathRooted(fields[0]))
            throw new InvalidDataException($"{textFile}:{lineNumber}: the mask path must be relative, got '{fields[0]}'.");
        string mask = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(textFile)!, fields[0]));
        if (!mask.StartsWith(_root, StringComparison.Ordinal))
            throw new InvalidDataException($"{textFile}:{lineNumber}: mask '{mask}' is outside the prediction root '{_root}'.");
        if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double label) || !(Math.Abs(label) < int.MaxValue) ||
            !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double confidence) || double.IsNaN(confidence))
            throw new InvalidDataException($"{textFile}:{lineNumber}: label id and confidence must be numbers, got '{fields[1]}' and '{fields[2]}'.");
        return (mask, (int)Math.Truncate(label), confidence);   // the script reads the label as int(float(x))
    }
}
