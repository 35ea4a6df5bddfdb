using System.Formats.Tar;
using System.Runtime.CompilerServices;

namespace Scrl.Core.Data.Shards;

/// <summary>Reads the samples of one shard tar as a stream, WebDataset-style: consecutive members with the same key form a sample.</summary>
public static class ShardTarReader
{
    /// <summary>
    /// Yields each sample in file order. Only the current sample's bytes are held, so the stream need not be seekable.
    /// </summary>
    /// <param name="shardName">Used in error messages.</param>
    /// <exception cref="InvalidDataException">A member is not a regular file, or a sample lacks its image or json or has two of one.</exception>
    public static async IAsyncEnumerable<ShardSample> ReadAsync(Stream tar, string shardName,
                                                                [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        await using var reader = new TarReader(tar, leaveOpen: true);
        var pending = new SampleParts(shardName);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                throw new InvalidDataException($"Shard {shardName}: member '{entry.Name}' is a {entry.EntryType}, not a file.");
            string fileName = entry.Name[(entry.Name.LastIndexOf('/') + 1)..];
            int dot = fileName.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0) throw new InvalidDataException($"Shard {shardName}: member '{entry.Name}' has no key.extension name.");
            string key = entry.Name[..(entry.Name.Length - fileName.Length + dot)];
            if (pending.Key is not null && pending.Key != key) yield return pending.Finish();
            pending.Add(key, fileName[(dot + 1)..].ToLowerInvariant(), await ReadDataAsync(entry, cancellationToken).ConfigureAwait(false));
        }
        if (pending.Key is not null) yield return pending.Finish();
    }

    private static async Task<byte[]> ReadDataAsync(TarEntry entry, CancellationToken ct)
    {
        var data = new byte[entry.Length];
        if (entry.DataStream is { } stream) await stream.ReadExactlyAsync(data, ct).ConfigureAwait(false);
        return data;
    }

    /// <summary>The members of the sample being collected.</summary>
    private sealed class SampleParts(string shardName)
    {
        private string? _imageExtension;
        private byte[]? _image;
        private byte[]? _json;

        public string? Key { get; private set; }

        public void Add(string key, string extension, byte[] data)
        {
            Key = key;
            if (ShardFormat.IsImageExtension(extension))
            {
                if (_image is not null) throw new InvalidDataException($"Shard {shardName}: sample {key} has two images.");
                (_image, _imageExtension) = (data, extension);
            }
            else if (extension == ShardFormat.AnnotationExtension)
            {
                if (_json is not null) throw new InvalidDataException($"Shard {shardName}: sample {key} has two json members.");
                _json = data;
            }
            // Other members (WebDataset allows any) are not ours to interpret; skip them.
        }

        public ShardSample Finish()
        {
            if (_image is null || _json is null)
                throw new InvalidDataException($"Shard {shardName}: sample {Key} lacks its {(_image is null ? "image" : "json")}.");
            var sample = new ShardSample(Key!, _imageExtension!, _image, _json);
            (Key, _image, _json, _imageExtension) = (null, null, null, null);
            return sample;
        }
    }
}
