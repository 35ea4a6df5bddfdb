using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Evaluation;

/// <summary>A labelled COCO-format split: its annotation json and its image folder.</summary>
public sealed record CocoSplitLocation(string AnnotationFile, string ImageFolder)
{
    /// <summary>
    /// Parses <c>DIR</c> (a COCO root: <c>annotations/instances_{split}2017.json</c> and <c>{split}2017/</c>) or
    /// <c>JSON,IMAGES</c> (an annotation file and its image folder).
    /// </summary>
    /// <param name="split"><c>train</c> or <c>val</c>: which split a COCO root gives.</param>
    public static CocoSplitLocation Parse(string value, string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        int comma = value.IndexOf(',');
        if (comma >= 0) return new CocoSplitLocation(value[..comma].Trim(), value[(comma + 1)..].Trim());
        if (Directory.Exists(value)) return new CocoSplitLocation(CocoLayout.AnnotationFile(value, split), CocoLayout.ImageFolder(value, split));
        throw new ArgumentException($"'{value}' is neither a COCO root folder nor 'annotations.json,imageFolder'");
    }

    public ImageDataset Read() => CocoDatasetReader.Read(AnnotationFile, ImageFolder);
}
