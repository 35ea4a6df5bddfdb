using System.Text;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// The result of a COCO evaluation: the summary stats in pycocotools' order (twelve, or ten for keypoints), per-category AP, and what was
/// skipped. A stat is -1 when nothing contributed to it (e.g. no ground truth in that area range).
/// </summary>
public sealed class CocoStats
{
    private readonly CocoEvalParams _params;

    internal CocoStats(
        CocoEvalParams parameters, IReadOnlyList<CocoStatDefinition> definitions, IReadOnlyList<double> values,
        IReadOnlyDictionary<int, double> perCategoryAp, IReadOnlyDictionary<int, int> skippedDetectionsByCategory)
    {
        _params = parameters;
        Definitions = definitions;
        Values = values;
        PerCategoryAp = perCategoryAp;
        SkippedDetectionsByCategory = skippedDetectionsByCategory;
    }

    /// <summary>What each of <see cref="Values"/> averages, same order.</summary>
    public IReadOnlyList<CocoStatDefinition> Definitions { get; }

    /// <summary>
    /// [AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl], or for keypoints [AP, AP50, AP75, APm, APl,
    /// AR, AR50, AR75, ARm, ARl] (pycocotools' <c>stats</c>).
    /// </summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>
    /// Per category id: mean of precision[:, :, k, area all, last maxDets] over entries &gt; -1 (IoU .50:.95), or -1
    /// for a category without counted ground truth.
    /// </summary>
    public IReadOnlyDictionary<int, double> PerCategoryAp { get; }

    /// <summary>Detections whose category is not in the ground truth, per category id; COCOeval ignores them.</summary>
    public IReadOnlyDictionary<int, int> SkippedDetectionsByCategory { get; }

    public double AP => Values[0];
    public double AP50 => Values[1];
    public double AP75 => Values[2];

    /// <summary>The stat called <paramref name="name"/> (see <see cref="CocoStatDefinition.Name"/>).</summary>
    public double this[string name]
    {
        get
        {
            for (int i = 0; i < Definitions.Count; i++)
                if (Definitions[i].Name == name) return Values[i];
            throw new KeyNotFoundException($"No stat named '{name}'; known: {string.Join(", ", Definitions.Select(d => d.Name))}.");
        }
    }

    /// <summary>The lines pycocotools' <c>summarize()</c> prints, each ending in a newline.</summary>
    public string FormatSummary()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Definitions.Count; i++)
            text.Append(Definitions[i].FormatLine(Values[i], _params)).Append('\n');
        return text.ToString();
    }
}
