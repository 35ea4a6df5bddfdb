using System.Text.Json;
using Scrl.Detection.Evaluation.Cityscapes;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>
/// golden/cityscapes: the tiny Cityscapes-layout set and what cityscapesScripts' evaluateImgLists computed on it
/// (make_cityscapes_golden.py), with each frame's predictions as rectangles for the in-memory path.
/// </summary>
internal sealed class CityscapesGolden
{
    public const double Tolerance = 1e-9;

    private CityscapesGolden(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static string SetFolder => Path.Combine(AppContext.BaseDirectory, "golden", "cityscapes", "set");

    public static string PredictionRoot => Path.Combine(SetFolder, "results");

    public static CityscapesGolden Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenFiles.PathOf("cityscapes/cityscapes-golden.json")));
        return new CityscapesGolden(doc.RootElement.Clone());
    }

    public IEnumerable<JsonElement> Images => Root.GetProperty("images").EnumerateArray();

    public static string GroundTruthFile(JsonElement image) => Path.Combine(SetFolder, "gtFine", "val",
        image.GetProperty("city").GetString()!, image.GetProperty("stem").GetString() + "_gtFine_instanceIds.png");

    public IReadOnlyList<string> GroundTruthFiles() => [.. Images.Select(GroundTruthFile)];

    /// <summary>The frame's predictions, masks drawn from their rectangles [y0, y1, x0, x1] (numpy slices: clipped to the image).</summary>
    public static List<CityscapesInstancePrediction> Predictions(JsonElement image)
    {
        int height = image.GetProperty("height").GetInt32(), width = image.GetProperty("width").GetInt32();
        var predictions = new List<CityscapesInstancePrediction>();
        foreach (var p in image.GetProperty("predictions").EnumerateArray())
        {
            var mask = new bool[height * width];
            foreach (var r in p.GetProperty("rects").EnumerateArray())
            {
                int[] v = [.. r.EnumerateArray().Select(e => e.GetInt32())];
                for (int y = Math.Clamp(v[0], 0, height); y < Math.Clamp(v[1], 0, height); y++)
                    for (int x = Math.Clamp(v[2], 0, width); x < Math.Clamp(v[3], 0, width); x++)
                        mask[y * width + x] = true;
            }
            predictions.Add(new CityscapesInstancePrediction(p.GetProperty("label_id").GetInt32(), p.GetProperty("confidence").GetDouble(), width, height, mask));
        }
        return predictions;
    }

    /// <summary>Asserts AP, AP50, per-class AP/AP50 and the AP matrix equal the script's within <see cref="Tolerance"/> (null = NaN).</summary>
    public double AssertMatches(CityscapesInstanceResult result)
    {
        double worst = 0;
        void Check(string what, double actual, JsonElement wanted)
        {
            if (wanted.ValueKind == JsonValueKind.Null)
            {
                Assert.True(double.IsNaN(actual), $"{what}: expected NaN, actual {actual:R}");
                return;
            }
            double diff = Math.Abs(actual - wanted.GetDouble());
            Assert.True(diff <= Tolerance, $"{what}: expected {wanted.GetDouble():R}, actual {actual:R}");
            worst = Math.Max(worst, diff);
        }
        Check("AP", result.AP, Root.GetProperty("all_ap"));
        Check("AP50", result.AP50, Root.GetProperty("all_ap50"));
        var names = Root.GetProperty("inst_labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(names, CityscapesLabels.InstanceClasses.Select(c => c.Name));
        Assert.Equal(Root.GetProperty("overlaps").EnumerateArray().Select(e => e.GetDouble()), CityscapesInstanceEvaluator.Overlaps);
        foreach (var c in Root.GetProperty("classes").EnumerateObject())
        {
            Check($"AP[{c.Name}]", result.PerClass[c.Name].AP, c.Value.GetProperty("ap"));
            Check($"AP50[{c.Name}]", result.PerClass[c.Name].AP50, c.Value.GetProperty("ap50"));
        }
        var matrix = Root.GetProperty("ap_matrix").EnumerateArray().ToArray();
        for (int c = 0; c < names.Length; c++)
        {
            var row = matrix[c].EnumerateArray().ToArray();
            for (int o = 0; o < row.Length; o++) Check($"AP[{names[c]}, overlap {o}]", result.ApMatrix[c][o], row[o]);
        }
        return worst;
    }
}
