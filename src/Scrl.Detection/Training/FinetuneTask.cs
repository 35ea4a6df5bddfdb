namespace Scrl.Detection.Training;

/// <summary>Downstream detection benchmarks.</summary>
public enum FinetuneTask
{
    /// <summary>COCO 2017 detection, evaluated with COCO AP.</summary>
    CocoDet,

    /// <summary>PASCAL VOC 07+12 detection, evaluated on VOC 2007 test (AP50 and COCO-style AP).</summary>
    VocDet,
}
