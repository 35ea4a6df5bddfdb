using System.Text.Json;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// The <c>{key}.json</c> bytes of consecutive samples, serialized a batch ahead on a pool thread: json (number
/// formatting, mostly) costs about as much as copying the image, so it runs beside the copy rather than before it.
/// </summary>
internal sealed class AnnotationJsonAhead : IAsyncDisposable
{
    private const int BatchSize = 32;

    private readonly ImageDataset _dataset;
    private readonly IReadOnlyDictionary<int, DatasetCategory> _categories;
    private readonly CancellationToken _cancellationToken;
    private byte[][] _batch = [];
    private int _taken;
    private Task<byte[][]> _ahead;
    private int _aheadFrom;   // first sample of _ahead

    /// <summary>Starts serializing from sample <paramref name="first"/>.</summary>
    public AnnotationJsonAhead(ImageDataset dataset, IReadOnlyDictionary<int, DatasetCategory> categories, int first, CancellationToken cancellationToken)
    {
        _dataset = dataset;
        _categories = categories;
        _cancellationToken = cancellationToken;
        _aheadFrom = first;
        _ahead = SerializeAsync(first);
    }

    /// <summary>The json of the next sample; call at most once per remaining sample.</summary>
    /// <exception cref="InvalidDataException">The sample uses a category the dataset does not list.</exception>
    public async ValueTask<byte[]> NextAsync()
    {
        if (_taken == _batch.Length)
        {
            _batch = await _ahead.ConfigureAwait(false);
            _taken = 0;
            _aheadFrom += _batch.Length;
            _ahead = _aheadFrom < _dataset.Records.Count ? SerializeAsync(_aheadFrom) : Task.FromResult<byte[][]>([]);
        }
        return _batch[_taken++];
    }

    public async ValueTask DisposeAsync() =>
        await ((Task)_ahead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);   // nobody wants the batch now

    private Task<byte[][]> SerializeAsync(int from) => Task.Run(() =>
    {
        var batch = new byte[Math.Min(BatchSize, _dataset.Records.Count - from)][];
        for (int i = 0; i < batch.Length; i++)
        {
            var annotation = ShardAnnotation.Of(_dataset.Records[from + i], _categories);
            batch[i] = JsonSerializer.SerializeToUtf8Bytes(annotation, ShardJsonContext.Default.ShardAnnotation);
        }
        return batch;
    }, _cancellationToken);
}
