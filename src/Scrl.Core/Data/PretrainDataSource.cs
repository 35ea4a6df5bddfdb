using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Loading;
using Scrl.Core.Data.Shards;

namespace Scrl.Core.Data;

/// <summary>Opens the samples a pretraining config points at: image files (ImageFolder, COCO) or tar shards.</summary>
public static class PretrainDataSource
{
    /// <summary>
    /// The sample source of <paramref name="data"/>. A <see cref="DataFormat.Shards"/> source is a local shard folder;
    /// its index is read and checked here, so a bad index fails before any model is built.
    /// </summary>
    /// <exception cref="ConfigException">No source, or an unknown format.</exception>
    public static async Task<IPretrainSampleSource> OpenAsync(DataOptions data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.IsNullOrWhiteSpace(data.Source))
            throw new ConfigException([new("data.source", "is empty; point it at an image folder, a COCO root or a shard folder")]);
        switch (data.Format)
        {
            case DataFormat.ImageFolder:
                return new ImageListSampleSource(UnlabeledImageSource.FromImageFolder(data.Source));
            case DataFormat.Coco:
                return new ImageListSampleSource(UnlabeledImageSource.FromCoco(CocoLayout.AnnotationFile(data.Source, data.Split),
                                                                               CocoLayout.ImageFolder(data.Source, data.Split)));
            case DataFormat.Shards:
                if (!Directory.Exists(data.Source)) throw new DirectoryNotFoundException($"Shard folder '{Path.GetFullPath(data.Source)}' does not exist.");
                var folder = new ShardFolder(data.Source);
                var index = await ShardIndex.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
                return new ShardSampleSource(index, folder, new ShardStreamOptions());
            default:
                throw new ConfigException([new("data.format", $"unknown format {data.Format}")]);
        }
    }
}
