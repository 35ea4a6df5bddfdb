using static TorchSharp.torch;

namespace Scrl.Core.Data.Loading;

/// <summary>
/// One sample for <see cref="PretrainDataLoader{TBatch}"/> to decode: its index (which seeds its augmentation), its
/// class label if any, and its encoded image, either as a file (read on the decode thread) or as bytes already read.
/// </summary>
public sealed class LoaderSample
{
    private readonly byte[]? _encoded;

    private LoaderSample(long index, int? label, string name, byte[]? encoded)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Index = index;
        Label = label;
        Name = name;
        _encoded = encoded;
    }

    public long Index { get; }

    public int? Label { get; }

    /// <summary>The file path, or the shard member the bytes came from; for error messages.</summary>
    public string Name { get; }

    public static LoaderSample FromFile(long index, int? label, string path) => new(index, label, path, null);

    public static LoaderSample FromBytes(long index, int? label, string name, byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return new(index, label, name, encoded);
    }

    /// <summary>Decodes the image to uint8 [3, H, W].</summary>
    public Tensor Decode() => _encoded is null ? ImageDecoder.DecodeFile(Name) : ImageDecoder.Decode(_encoded, Name);
}
