namespace Scrl.Core.Models;

/// <summary>Channels and stride (input pixels per feature cell) of one backbone output, as detectron2's ShapeSpec.</summary>
public readonly record struct FeatureShape(long Channels, int Stride);
