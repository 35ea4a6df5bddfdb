namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>One row of cityscapesScripts' label table: the label id used in instanceIds PNGs and prediction files.</summary>
/// <param name="Id">Label id (not the train id); -1 for license plate.</param>
/// <param name="HasInstances">Whether the label can carry instance ids (<c>id * 1000 + k</c>).</param>
/// <param name="IgnoreInEval">Ground-truth pixels with this raw value are void in the evaluation.</param>
public sealed record CityscapesLabel(int Id, string Name, bool HasInstances, bool IgnoreInEval);

/// <summary>The Cityscapes label table (<c>cityscapesscripts/helpers/labels.py</c>) as the instance evaluation uses it.</summary>
public static class CityscapesLabels
{
    /// <summary>All 35 labels, in labels.py order.</summary>
    public static readonly IReadOnlyList<CityscapesLabel> All =
    [
        new(0, "unlabeled", false, true), new(1, "ego vehicle", false, true), new(2, "rectification border", false, true),
        new(3, "out of roi", false, true), new(4, "static", false, true), new(5, "dynamic", false, true),
        new(6, "ground", false, true), new(7, "road", false, false), new(8, "sidewalk", false, false),
        new(9, "parking", false, true), new(10, "rail track", false, true), new(11, "building", false, false),
        new(12, "wall", false, false), new(13, "fence", false, false), new(14, "guard rail", false, true),
        new(15, "bridge", false, true), new(16, "tunnel", false, true), new(17, "pole", false, false),
        new(18, "polegroup", false, true), new(19, "traffic light", false, false), new(20, "traffic sign", false, false),
        new(21, "vegetation", false, false), new(22, "terrain", false, false), new(23, "sky", false, false),
        new(24, "person", true, false), new(25, "rider", true, false), new(26, "car", true, false),
        new(27, "truck", true, false), new(28, "bus", true, false), new(29, "caravan", true, true),
        new(30, "trailer", true, true), new(31, "train", true, false), new(32, "motorcycle", true, false),
        new(33, "bicycle", true, false), new(-1, "license plate", false, true),
    ];

    /// <summary>
    /// The evaluated classes (labels with instances and not ignored), in the script's order: person, rider, car,
    /// truck, bus, train, motorcycle, bicycle.
    /// </summary>
    public static readonly IReadOnlyList<CityscapesLabel> InstanceClasses = [.. All.Where(l => l.HasInstances && !l.IgnoreInEval)];

    private static readonly Dictionary<int, CityscapesLabel> ById = All.ToDictionary(l => l.Id);

    /// <summary>The label with this id, or null when labels.py has none (the script raises KeyError there).</summary>
    public static CityscapesLabel? Find(int id) => ById.GetValueOrDefault(id);

    /// <summary>The index of <paramref name="labelId"/> in <see cref="InstanceClasses"/>, or -1 when it is not evaluated.</summary>
    public static int InstanceClassIndex(int labelId)
    {
        for (int i = 0; i < InstanceClasses.Count; i++)
            if (InstanceClasses[i].Id == labelId) return i;
        return -1;
    }

    /// <summary>
    /// A lookup over raw 16-bit ground-truth values: true where the value itself is an <c>ignoreInEval</c> label id.
    /// </summary>
    /// <remarks>Like the script's <c>np.in1d(gtNp, voidLabelIDList)</c>: a caravan crowd (29) is void, a caravan instance (29001) is not.</remarks>
    internal static bool[] VoidLookup()
    {
        var isVoid = new bool[ushort.MaxValue + 1];
        foreach (var label in All)
            if (label.IgnoreInEval && label.Id >= 0) isVoid[label.Id] = true;
        return isVoid;
    }
}
