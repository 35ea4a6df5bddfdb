namespace Scrl.Detection.Evaluation;

/// <summary>An object-area bucket of COCO evaluation, inclusive at both ends, in square pixels.</summary>
/// <param name="Label">The name summarize() prints: <c>all</c>, <c>small</c>, <c>medium</c>, <c>large</c>.</param>
public sealed record CocoAreaRange(string Label, double Min, double Max)
{
    /// <summary>Whether <paramref name="area"/> lies outside the range (pycocotools' <c>area &lt; lo or area &gt; hi</c>).</summary>
    public bool Excludes(double area) => area < Min || area > Max;
}
