using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data.Datasets;

/// <summary>
/// One image of a dataset and its annotations, whatever format it came from (COCO, VOC, Cityscapes, ImageFolder).
/// The record model follows detectron2's dataset dicts: boxes are xyxy in absolute pixels, segmentations COCO-style.
/// </summary>
/// <param name="ImageId">The source's own id: COCO's numeric id as text, VOC's <c>2007_000027</c>, Cityscapes'
/// <c>aachen_000000_000019</c>, or the ImageFolder path relative to the root.</param>
/// <param name="FileName">The image's path relative to the dataset's image folder, '/'-separated; machine-independent.</param>
/// <param name="ImagePath">The image's full path on this machine.</param>
/// <param name="Width">Image width in pixels, as the annotations state it.</param>
/// <param name="Height">Image height in pixels, as the annotations state it.</param>
/// <param name="Instances">Annotated objects, in source order; empty for unlabelled images.</param>
public sealed record DatasetRecord(
    string ImageId,
    string FileName,
    string ImagePath,
    int Width,
    int Height,
    IReadOnlyList<DatasetInstance> Instances);

/// <summary>One annotated object.</summary>
/// <param name="CategoryId">Id into the dataset's <see cref="DatasetCategory"/> list (the source's own ids).</param>
/// <param name="Box">Bounding box, xyxy in absolute pixels.</param>
/// <param name="IsCrowd">COCO crowd region / Cityscapes <c>*group</c>; ignored by training matchers.</param>
/// <param name="Segmentation">Polygons or an RLE mask, in pixels; null when the source has none (VOC).</param>
/// <param name="Keypoints">[x1, y1, v1, ...] for keypoint datasets; null otherwise.</param>
/// <param name="Difficult">VOC's difficult flag; excluded from VOC evaluation.</param>
/// <param name="AnnotationId">COCO's annotation id; null for sources without one.</param>
public sealed record DatasetInstance(
    int CategoryId,
    BoxXyxy Box,
    bool IsCrowd = false,
    CocoSegmentation? Segmentation = null,
    IReadOnlyList<double>? Keypoints = null,
    bool Difficult = false,
    long? AnnotationId = null);
