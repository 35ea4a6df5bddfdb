using Scrl.Core.Randomness;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// WebDataset's shuffle buffer: holds up to <c>capacity</c> items; once full, each new item replaces (and releases)
/// a uniformly drawn one. <see cref="Drain"/> releases the rest in random order. Capacity 1 keeps the input order.
/// </summary>
internal sealed class ShuffleBuffer<T>(int capacity, IRandomSource random)
{
    private readonly List<T> _items = new(Math.Min(capacity, 4096));

    /// <summary>Adds <paramref name="item"/>; when the buffer was full, returns true with the item it released.</summary>
    public bool Add(T item, out T released)
    {
        if (_items.Count < capacity)
        {
            _items.Add(item);
            released = default!;
            return false;
        }
        int j = random.NextInt(0, capacity);
        released = _items[j];
        _items[j] = item;
        return true;
    }

    /// <summary>Releases every held item in random order, leaving the buffer empty.</summary>
    public IEnumerable<T> Drain()
    {
        while (_items.Count > 0)
        {
            int j = random.NextInt(0, _items.Count);
            T item = _items[j];
            _items[j] = _items[^1];
            _items.RemoveAt(_items.Count - 1);
            yield return item;
        }
    }
}
