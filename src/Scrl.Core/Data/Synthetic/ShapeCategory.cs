using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data.Synthetic;

/// <summary>The outline a synthetic object is drawn with.</summary>
public enum ShapeKind { Rectangle, Ellipse, Triangle, Star }

/// <summary>The hue range a synthetic object's colours come from; backgrounds are kept desaturated.</summary>
public enum ColourFamily { Warm, Cool }

/// <summary>The eight synthetic categories: every <see cref="ShapeKind"/> in every <see cref="ColourFamily"/>.</summary>
public static class ShapeCategory
{
    public static readonly IReadOnlyList<CocoCategory> All =
        [.. from kind in Enum.GetValues<ShapeKind>()
            from family in Enum.GetValues<ColourFamily>()
            select new CocoCategory(IdOf(kind, family), $"{family}-{kind}".ToLowerInvariant(), kind.ToString().ToLowerInvariant())];

    /// <summary>1-based COCO category id.</summary>
    public static int IdOf(ShapeKind kind, ColourFamily family) =>
        1 + (int)kind * Enum.GetValues<ColourFamily>().Length + (int)family;
}
