using System.Text.Json;

namespace Scrl.Core.Reporting;

/// <summary>
/// The scalars of a run's <c>metrics.jsonl</c> (written by <see cref="Training.Metrics.JsonlMetricSink"/>), pivoted into
/// one step-ordered series per scalar name.
/// </summary>
/// <remarks>
/// Reading is forgiving because the file is written by a process that may crash or be resumed: a line that is not a
/// complete record (a torn last line, or a torn line that a resumed run appended onto) is skipped and counted, and
/// when a step appears twice the later record replaces the earlier one as a whole.
/// </remarks>
public sealed class MetricsLog
{
    private MetricsLog(IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> series, int recordCount, int skippedLines)
    {
        Series = series;
        RecordCount = recordCount;
        SkippedLines = skippedLines;
    }

    /// <summary>Scalar name (e.g. <c>loss</c>, <c>throughput/pairs_per_s</c>) to its points, ascending by step.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Series { get; }

    /// <summary>Distinct steps with a record.</summary>
    public int RecordCount { get; }

    /// <summary>Non-blank lines that were not a complete record and were ignored.</summary>
    public int SkippedLines { get; }

    public bool IsEmpty => RecordCount == 0;

    /// <summary>The series called <paramref name="name"/>, or an empty one if it was never logged.</summary>
    public IReadOnlyList<MetricPoint> this[string name] => Series.TryGetValue(name, out var points) ? points : [];

    /// <summary>Reads <paramref name="jsonlPath"/>; a missing file reads as an empty log.</summary>
    public static MetricsLog Read(string jsonlPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jsonlPath);
        if (!File.Exists(jsonlPath)) return FromRecords(new SortedDictionary<long, Dictionary<string, double>>(), 0);

        // FileShare.ReadWrite: the trainer may still be appending while a report is drawn.
        using var reader = new StreamReader(new FileStream(jsonlPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var records = new SortedDictionary<long, Dictionary<string, double>>();
        int skipped = 0;
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (TryParseRecord(line) is { } record) records[record.Step] = record.Scalars;
            else skipped++;
        }
        return FromRecords(records, skipped);
    }

    private static MetricsLog FromRecords(SortedDictionary<long, Dictionary<string, double>> records, int skippedLines)
    {
        var series = new SortedDictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        foreach (var (step, scalars) in records)   // ascending steps, so every series comes out sorted
        {
            foreach (var (name, value) in scalars)
            {
                if (!series.TryGetValue(name, out var points)) series[name] = points = [];
                points.Add(new MetricPoint(step, value));
            }
        }
        var readOnly = series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<MetricPoint>)kv.Value, StringComparer.Ordinal);
        return new MetricsLog(readOnly, records.Count, skippedLines);
    }

    private static (long Step, Dictionary<string, double> Scalars)? TryParseRecord(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("step", out var stepElement) || !stepElement.TryGetInt64(out long step)
                || !root.TryGetProperty("scalars", out var scalarsElement) || scalarsElement.ValueKind != JsonValueKind.Object)
                return null;

            var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in scalarsElement.EnumerateObject())
            {
                if (TryReadScalar(property.Value) is { } value) scalars[property.Name] = value;
            }
            return (step, scalars);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A number, or one of the sink's named non-finite literals; anything else is not a scalar.</summary>
    private static double? TryReadScalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetDouble(out double number) => number,
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };
}
