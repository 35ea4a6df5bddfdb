using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data;

/// <summary>Opens the images a pretraining config points at.</summary>
public static class PretrainDataSource
{
    public static UnlabeledImageSource Open(DataOptions data)
    {
        if (string.IsNullOrWhiteSpace(data.Source))
            throw new ConfigException([new("data.source", "is empty; point it at an image folder or a COCO root")]);
        return data.Format switch
        {
            DataFormat.ImageFolder => UnlabeledImageSource.FromImageFolder(data.Source),
            DataFormat.Coco => UnlabeledImageSource.FromCoco(CocoLayout.AnnotationFile(data.Source, data.Split),
                                                             CocoLayout.ImageFolder(data.Source, data.Split)),
            _ => throw new ConfigException([new("data.format", $"unknown format {data.Format}")]),
        };
    }
}
