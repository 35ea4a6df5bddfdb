using System.Text.Json;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Tests.Metrics;

public class JsonlMetricSinkTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500);

    [Fact]
    public void Write_OneFlushedObjectPerLine_NonFiniteAsNamedLiterals()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.jsonl");
        using var sink = new JsonlMetricSink(path, new FixedTimeProvider(Start));

        sink.Write(3, new Dictionary<string, double> { ["loss"] = 0.25, ["lr"] = 1e-3 });
        sink.Write(4, new Dictionary<string, double> { ["loss"] = double.NaN, ["grad"] = double.NegativeInfinity });

        // Read while the sink is still open: every write is already on disk.
        var lines = ReadShared(path);
        Assert.Equal(2, lines.Count);
        Assert.Equal("""{"step":3,"wallTime":1700000000.5,"scalars":{"loss":0.25,"lr":0.001}}""", lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("NaN", second.RootElement.GetProperty("scalars").GetProperty("loss").GetString());
        Assert.Equal("-Infinity", second.RootElement.GetProperty("scalars").GetProperty("grad").GetString());
    }

    [Fact]
    public void Create_Existing_AppendsAfterPreviousRecords()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.jsonl");
        using (var first = new JsonlMetricSink(path)) first.Write(1, new Dictionary<string, double> { ["loss"] = 1 });
        using (var second = new JsonlMetricSink(path)) second.Write(2, new Dictionary<string, double> { ["loss"] = 0.5 });

        Assert.Equal([1L, 2L], Steps(path));
    }

    [Fact]
    public void Create_WithResumeStep_DropsRecordsFromThatStepAndTornLines()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.jsonl");
        using (var crashed = new JsonlMetricSink(path))
            foreach (long step in new[] { 10, 20, 30, 40 }) crashed.Write(step, new Dictionary<string, double> { ["loss"] = step });
        File.AppendAllText(path, """{"step":50,"wallTi""");   // the crash tore the last line

        using (var resumed = new JsonlMetricSink(path, resumeStep: 30))
            resumed.Write(30, new Dictionary<string, double> { ["loss"] = -1 });

        Assert.Equal([10L, 20L, 30L], Steps(path));
    }

    [Fact]
    public void CompositeSink_ForwardsToEverySink()
    {
        using var temp = new TempDirectory();
        using (var sink = new CompositeMetricSink([new JsonlMetricSink(temp.Combine("a.jsonl")), new JsonlMetricSink(temp.Combine("b.jsonl"))]))
        {
            sink.Write(7, new Dictionary<string, double> { ["loss"] = 2 });
            sink.Flush();
        }
        Assert.Equal([7L], Steps(temp.Combine("a.jsonl")));
        Assert.Equal([7L], Steps(temp.Combine("b.jsonl")));
    }

    private static List<long> Steps(string path) =>
        [.. File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64())];

    private static List<string> ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
