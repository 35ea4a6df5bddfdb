using System.Text.Json;
using Scrl.Pipeline.Reports.Correlation;

namespace Scrl.Pipeline.Tests.Reports.Correlation;

/// <summary>golden/correlation: the fixed points (points.json) and SciPy's values for them (expected.json).</summary>
internal static class CorrelationFixture
{
    public static string PathOf(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "golden", "correlation", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Golden file '{name}' is missing; regenerate it with make_correlation.py beside it.", path);
        return path;
    }

    public static IReadOnlyList<RunScores> Runs()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf("points.json")));
        return [.. json.RootElement.GetProperty("runs").EnumerateArray().Select(run => new RunScores(
            run.GetProperty("runId").GetString()!,
            run.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble())))];
    }

    public static string Downstream()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf("points.json")));
        return json.RootElement.GetProperty("downstream").GetString()!;
    }

    public static (double[] X, double[] Y) Series(string protocolMetric)
    {
        string downstream = Downstream();
        var runs = Runs();
        return ([.. runs.Select(r => r.Metrics[protocolMetric])], [.. runs.Select(r => r.Metrics[downstream])]);
    }

    /// <summary>expected.json's entry for one protocol metric.</summary>
    public static JsonElement Expected(string protocolMetric)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        return json.RootElement.GetProperty("protocols").GetProperty(protocolMetric).Clone();
    }
}
