using System.Text.Json;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.SetPrediction;

/// <summary>One case of golden/lsap/lsap.json: a cost matrix and what SciPy's linear_sum_assignment made of it.</summary>
/// <remarks>Float32 cases keep <see cref="Singles"/>; <see cref="Cost"/> is them widened, as SciPy saw them.</remarks>
internal sealed record LsapGoldenCase(
    string Name, int Rows, int Cols, bool Maximize, double[] Cost, float[]? Singles,
    int[]? RowInd, int[]? ColInd, double? Total, string? Error)
{
    private static readonly Lazy<IReadOnlyDictionary<string, LsapGoldenCase>> All = new(Load);

    public static IEnumerable<object[]> Names() => All.Value.Keys.Select(name => new object[] { name });

    public static LsapGoldenCase Get(string name) => All.Value[name];

    private static IReadOnlyDictionary<string, LsapGoldenCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenFiles.PathOf("lsap/lsap.json")));
        var cases = new Dictionary<string, LsapGoldenCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            bool single = c.GetProperty("dtype").GetString() == "float32";
            var entries = c.GetProperty("cost").EnumerateArray().ToArray();
            float[]? singles = single ? entries.Select(e => (float)Number(e, single)).ToArray() : null;
            double[] cost = singles?.Select(s => (double)s).ToArray() ?? entries.Select(e => Number(e, single)).ToArray();
            var name = c.GetProperty("name").GetString()!;
            cases.Add(name, new LsapGoldenCase(
                name, c.GetProperty("rows").GetInt32(), c.GetProperty("cols").GetInt32(), c.GetProperty("maximize").GetBoolean(),
                cost, singles, Ints(c.GetProperty("row_ind")), Ints(c.GetProperty("col_ind")),
                c.GetProperty("total").ValueKind == JsonValueKind.Null ? null : c.GetProperty("total").GetDouble(),
                c.GetProperty("error").GetString()));
        }
        return cases;
    }

    // Infinities and NaN are strings in the file; float32 values are their shortest float32 decimal.
    private static double Number(JsonElement e, bool single) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var other => throw new FormatException($"unexpected cost entry '{other}'"),
        },
        _ => single ? e.GetSingle() : e.GetDouble(),
    };

    private static int[]? Ints(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
