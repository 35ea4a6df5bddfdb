namespace Scrl.Detection.Masks;

/// <summary>A box [x, y, w, h] in pixels, as <c>rleToBbox</c> returns it.</summary>
public readonly record struct RleBox(double X, double Y, double Width, double Height);
