using System.Text;
using System.Text.Json;
using Scrl.Core.IO;

namespace Scrl.Core.Training.Metrics;

/// <summary>
/// Appends one JSON object per line, <c>{"step":12,"wallTime":1700000000.5,"scalars":{"loss":0.61}}</c>, flushed
/// on every write so a crash loses nothing already reported. Non-finite values are written as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (System.Text.Json's named literals), since a NaN loss is worth keeping.
/// </summary>
public sealed class JsonlMetricSink : IMetricSink
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;

    /// <param name="path">Appended to if it exists; its folder must exist.</param>
    /// <param name="resumeStep">
    /// When resuming from a checkpoint at this step, first drops records at or after it (written by the
    /// interrupted run after its last checkpoint) and any torn last line, so each step appears once.
    /// </param>
    public JsonlMetricSink(string path, TimeProvider? time = null, long? resumeStep = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _time = time ?? TimeProvider.System;
        if (resumeStep is { } resume && File.Exists(path)) TruncateAt(path, resume);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false))
        {
            AutoFlush = true,
            NewLine = "\n",
        };
    }

    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", step);
            json.WriteNumber("wallTime", _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
            json.WriteStartObject("scalars");
            foreach (var (name, value) in scalars)
            {
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private static void TruncateAt(string path, long resumeStep)
    {
        var kept = File.ReadLines(path).Where(line => StepOf(line) is { } step && step < resumeStep).ToList();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var line in kept) writer.WriteLine(line);
        });
    }

    /// <summary>The step of a record, or null for a torn or foreign line.</summary>
    private static long? StepOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("step", out var step) && step.TryGetInt64(out long value)
                ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
