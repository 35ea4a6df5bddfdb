namespace Scrl.Core.Data.Coco;

/// <summary>COCO's 17 person keypoints: names, skeleton and the left-right permutation a horizontal flip applies.</summary>
public static class CocoPersonKeypoints
{
    public const int Count = 17;

    /// <summary>In COCO's order; "left" is the person's left.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
        "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    ];

    /// <summary>Limbs as pairs of 1-based keypoint indices, as COCO's <c>person_keypoints_*.json</c> lists them.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<int>> Skeleton =
    [
        [16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7], [6, 8], [7, 9],
        [8, 10], [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7],
    ];

    /// <summary>Index of each keypoint's mirror image (left and right swapped), as torchvision's reference flip uses.</summary>
    public static readonly IReadOnlyList<int> FlipPermutation = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15];

    /// <summary>COCO's person category with its keypoint names and skeleton.</summary>
    public static CocoCategory Category { get; } = new(1, "person", "person", Names, Skeleton);
}
