using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>The two augmented views of a batch and where each came from.</summary>
/// <param name="View1">[B, 3, S, S] float, normalized.</param>
/// <param name="View2">[B, 3, S, S] float, normalized.</param>
/// <param name="Geometry1">Per image, view 1's crop in ORIGINAL pixels and its flip.</param>
/// <param name="Geometry2">Per image, view 2's crop in ORIGINAL pixels and its flip.</param>
public sealed record TwoViews(Tensor View1, Tensor View2, IReadOnlyList<ViewGeometry> Geometry1, IReadOnlyList<ViewGeometry> Geometry2);

/// <summary>One augmented view of a batch and where each image's view came from.</summary>
/// <param name="Views">[B, 3, S, S] float, normalized.</param>
/// <param name="Geometry">Per image, the crop in ORIGINAL pixels and its flip.</param>
public sealed record AugmentedView(Tensor Views, IReadOnlyList<ViewGeometry> Geometry);
