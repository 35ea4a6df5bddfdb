namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>AP of one class, as fractions in [0, 1]; NaN when no image has ground truth of the class.</summary>
/// <param name="AP">Mean over the overlap thresholds 0.50..0.95 (NaN if any threshold is NaN, as <c>np.average</c>).</param>
/// <param name="AP50">AP at overlap threshold 0.5.</param>
public sealed record CityscapesClassAp(double AP, double AP50);

/// <summary>
/// cityscapesScripts' instance-level result (its <c>computeAverages</c>), as fractions in [0, 1] like the script prints.
/// </summary>
/// <param name="AP">Mean over classes and overlap thresholds, NaN entries left out (<c>np.nanmean</c>).</param>
/// <param name="AP50">Mean over classes at overlap 0.5, NaN entries left out.</param>
/// <param name="PerClass">Class name (person, rider, car, truck, bus, train, motorcycle, bicycle) to its AP and AP50.</param>
/// <param name="Overlaps">The overlap thresholds 0.5, 0.55, ..., 0.95 (numpy's arange values).</param>
/// <param name="ApMatrix">[class][overlap] AP, classes in <see cref="CityscapesLabels.InstanceClasses"/> order.</param>
public sealed record CityscapesInstanceResult(
    double AP,
    double AP50,
    IReadOnlyDictionary<string, CityscapesClassAp> PerClass,
    IReadOnlyList<double> Overlaps,
    IReadOnlyList<IReadOnlyList<double>> ApMatrix);
