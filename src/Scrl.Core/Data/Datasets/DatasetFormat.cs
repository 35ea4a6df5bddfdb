using System.Text.Json.Serialization;
using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data.Datasets;

/// <summary>The annotated source layouts a dataset can be read from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetFormat>))]
public enum DatasetFormat
{
    /// <summary>COCO 2017: <c>annotations/instances_{split}2017.json</c> and <c>{split}2017/</c>.</summary>
    Coco,
    /// <summary>COCO 2017 person keypoints: <c>annotations/person_keypoints_{split}2017.json</c> and <c>{split}2017/</c>.</summary>
    CocoKeypoints,
    /// <summary>Pascal VOC: <c>Annotations/</c>, <c>JPEGImages/</c>, <c>ImageSets/Main/{split}.txt</c>.</summary>
    Voc,
    /// <summary>Images in class subfolders (torchvision ImageFolder); no boxes, no split.</summary>
    ImageFolder,
    /// <summary>Cityscapes: <c>leftImg8bit/{split}/</c> and <c>gtFine/{split}/</c>.</summary>
    Cityscapes,
}

/// <summary>Reads a dataset of any <see cref="DatasetFormat"/>.</summary>
public static class DatasetReaders
{
    /// <summary>The records of <paramref name="split"/> under <paramref name="root"/> (ImageFolder ignores the split).</summary>
    public static ImageDataset Read(DatasetFormat format, string root, string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        return format switch
        {
            DatasetFormat.Coco => CocoDatasetReader.Read(CocoLayout.AnnotationFile(root, split), CocoLayout.ImageFolder(root, split)),
            DatasetFormat.CocoKeypoints => CocoDatasetReader.Read(CocoLayout.KeypointsFile(root, split), CocoLayout.ImageFolder(root, split)),
            DatasetFormat.Voc => VocDatasetReader.Read(root, split),
            DatasetFormat.ImageFolder => ImageFolderDatasetReader.Read(root),
            DatasetFormat.Cityscapes => CityscapesDatasetReader.Read(root, split),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown dataset format"),
        };
    }
}
