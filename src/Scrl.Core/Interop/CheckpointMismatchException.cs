namespace Scrl.Core.Interop;

/// <summary>
/// A state dict that does not fit its destination: every missing key, unexpected key and shape
/// mismatch is listed, so one run shows everything a conversion has to fix.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <param name="context">What was being matched, e.g. the file or module name.</param>
    /// <param name="missing">Keys the destination needs but the source lacks.</param>
    /// <param name="unexpected">Keys the source has but the destination does not know.</param>
    /// <param name="shapeMismatches">One line per key present on both sides with different shapes.</param>
    public CheckpointMismatchException(
        string context,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected,
        IReadOnlyList<string>? shapeMismatches = null)
        : base(Describe(context, missing, unexpected, shapeMismatches ?? []))
    {
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches ?? [];
    }

    /// <summary>Keys the destination needs but the source lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys the source has but the destination does not know.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>"key: source [shape] vs destination [shape]" for each shape mismatch.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(
        string context, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var lines = new List<string> { $"{context}: state dict does not match." };
        AddSection(lines, "missing keys", missing);
        AddSection(lines, "unexpected keys", unexpected);
        AddSection(lines, "shape mismatches", shapes);
        return string.Join(Environment.NewLine, lines);
    }

    private static void AddSection(List<string> lines, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        lines.Add($"  {items.Count} {title}:");
        lines.AddRange(items.Select(i => "    " + i));
    }
}
