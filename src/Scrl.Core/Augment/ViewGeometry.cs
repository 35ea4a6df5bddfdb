namespace Scrl.Core.Augment;

/// <summary>
/// Where a view came from: the crop (top row, left column, height, width) in ORIGINAL image pixels, as
/// torchvision's RandomResizedCrop.get_params returns it, and whether the view was flipped horizontally.
/// </summary>
public readonly record struct ViewGeometry(int Top, int Left, int Height, int Width, bool Flipped);
