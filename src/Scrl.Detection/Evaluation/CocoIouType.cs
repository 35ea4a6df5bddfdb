namespace Scrl.Detection.Evaluation;

/// <summary>What COCO evaluation overlaps: pycocotools' <c>iouType</c>.</summary>
public enum CocoIouType
{
    /// <summary>Box IoU (<c>bbox</c>).</summary>
    Bbox,

    /// <summary>Mask IoU on run-length masks (<c>segm</c>).</summary>
    Segm,

    /// <summary>Object keypoint similarity, OKS (<c>keypoints</c>).</summary>
    Keypoints,
}
