namespace Scrl.Detection.Poolers;

/// <summary>Whose multi-scale RoIAlign a head was trained with: the two differ in the sampling grid and level rounding.</summary>
public enum PoolerFlavor
{
    /// <summary>torchvision's MultiScaleRoIAlign: aligned=False, level floor(4 + log2(s / 224) + 1e-6).</summary>
    Torchvision,

    /// <summary>detectron2's ROIPooler with ROIAlignV2: aligned=True, level floor(4 + log2(s / 224 + 1e-8)).</summary>
    Detectron2,
}
