namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>Cityscapes file names <c>{city}_{sequence}_{frame}_{type}[_{type2}].{ext}</c> (cityscapesScripts' <c>getCsFileInfo</c>).</summary>
public static class CityscapesFileName
{
    /// <summary>The part all files of one frame share, <c>{city}_{sequence}_{frame}</c>, e.g. <c>aachen_000000_000019</c>.</summary>
    /// <exception cref="InvalidDataException">The name does not split into 5 or 6 parts at '_' and the dots of its last part.</exception>
    public static string CoreName(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string baseName = Path.GetFileName(path);
        var underscored = baseName.Split('_');
        string[] parts = [.. underscored[..^1], .. underscored[^1].Split('.')];
        if (parts.Length is not (5 or 6))
            throw new InvalidDataException($"Found {parts.Length} part(s) in the file name '{baseName}'; a Cityscapes file name has 5 or 6.");
        return $"{parts[0]}_{parts[1]}_{parts[2]}";
    }
}
