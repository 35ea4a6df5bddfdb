namespace Scrl.Core.Reporting;

/// <summary>An instance to draw over an image: its box (xyxy in the image's pixels) with a caption such as "circle 0.93",
/// and optionally its mask and keypoints.</summary>
/// <param name="Mask">Row-major height x width of the image, nonzero inside; null for none.</param>
/// <param name="Keypoints">[x1, y1, v1, ...] in the image's pixels (v 0: unlabelled, not drawn); COCO's 17 person
/// keypoints are joined by its skeleton. Null for none.</param>
public sealed record OverlayBox(double X1, double Y1, double X2, double Y2, string Caption,
                                byte[]? Mask = null, IReadOnlyList<double>? Keypoints = null);
