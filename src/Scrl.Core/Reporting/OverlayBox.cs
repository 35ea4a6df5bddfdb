namespace Scrl.Core.Reporting;

/// <summary>A box to draw over an image: xyxy in the image's pixels, with a caption such as "circle 0.93".</summary>
public sealed record OverlayBox(double X1, double Y1, double X2, double Y2, string Caption);
