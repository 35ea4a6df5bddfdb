using System.Globalization;
using System.Text.Json;
using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>
/// A <c>stats-&lt;set&gt;.json</c> written from pycocotools: its stats (12, or 10 for keypoints) and per-category AP,
/// keyed by category id, or listed in ascending id order (then <c>categoryIds</c> names them).
/// </summary>
public sealed record CocoGoldenStats(IReadOnlyList<double> Stats, IReadOnlyDictionary<int, double> PerCategoryAp)
{
    public const double Tolerance = 1e-9;

    public static CocoGoldenStats Load(string path, IReadOnlyList<int>? categoryIds = null)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var stats = doc.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var perCategoryJson = doc.RootElement.GetProperty("per_category_ap");
        var perCategory = perCategoryJson.ValueKind == JsonValueKind.Array
            ? perCategoryJson.EnumerateArray().Select((e, k) => (Id: (categoryIds ?? throw new ArgumentNullException(nameof(categoryIds)))[k], Ap: e.GetDouble()))
                .ToDictionary(p => p.Id, p => p.Ap)
            : perCategoryJson.EnumerateObject().ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetDouble());
        return new CocoGoldenStats(stats, perCategory);
    }

    /// <summary>Asserts every stat and per-category AP within <see cref="Tolerance"/>; returns the largest difference.</summary>
    public double AssertMatches(CocoStats actual)
    {
        Assert.Equal(Stats.Count, actual.Values.Count);
        Assert.Equal(PerCategoryAp.Keys.Order(), actual.PerCategoryAp.Keys.Order());
        double worst = 0;
        for (int i = 0; i < Stats.Count; i++)
            worst = Check(worst, Stats[i], actual.Values[i], $"stat {i} ({actual.Definitions[i].Name})");
        foreach (var (category, expected) in PerCategoryAp)
            worst = Check(worst, expected, actual.PerCategoryAp[category], $"AP of category {category}");
        return worst;
    }

    private static double Check(double worst, double expected, double actual, string what)
    {
        double diff = Math.Abs(expected - actual);
        Assert.True(diff <= Tolerance, $"{what}: expected {expected:R}, actual {actual:R} (|diff| {diff:E2})");
        return Math.Max(worst, diff);
    }
}
