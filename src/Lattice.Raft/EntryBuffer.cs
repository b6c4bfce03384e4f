using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// A growable array of entries that hands out slices. Reused across Ready cycles so the steady state does not
/// allocate; it only grows (doubling) until it fits the working set.
/// </summary>
public sealed class EntryBuffer
{
    private Entry[] _items;

    public EntryBuffer(int initialCapacity = 16)
    {
        Invariant.Check(initialCapacity > 0, "capacity must be positive");
        _items = new Entry[initialCapacity];
    }

    public int Count { get; private set; }

    public Entry this[int position]
    {
        get
        {
            Invariant.Check((uint)position < (uint)Count, "entry buffer index out of range");
            return _items[position];
        }
    }

    public ReadOnlySpan<Entry> Span => _items.AsSpan(0, Count);

    public ReadOnlyMemory<Entry> Slice(int start, int length)
    {
        Invariant.Check(start >= 0 && length >= 0 && start + length <= Count, "entry slice out of range");
        return new ReadOnlyMemory<Entry>(_items, start, length);
    }

    public void Add(in Entry entry)
    {
        if (Count == _items.Length)
        {
            // A new array leaves slices handed out earlier intact: they keep pointing at the old one.
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = entry;
    }

    public void AddRange(ReadOnlySpan<Entry> entries)
    {
        foreach (ref readonly Entry entry in entries)
        {
            Add(entry);
        }
    }

    /// <summary>Keeps the first <paramref name="count"/> entries.</summary>
    public void Truncate(int count)
    {
        Invariant.Check(count >= 0 && count <= Count, "truncate beyond buffer");
        Array.Clear(_items, count, Count - count);
        Count = count;
    }

    /// <summary>Drops the first <paramref name="count"/> entries, shifting the rest down.</summary>
    public void RemovePrefix(int count)
    {
        Invariant.Check(count >= 0 && count <= Count, "remove prefix beyond buffer");
        Array.Copy(_items, count, _items, 0, Count - count);
        Array.Clear(_items, Count - count, count);
        Count -= count;
    }

    /// <summary>Empties the buffer; when slices of it may still be read, pass <paramref name="detach"/>.</summary>
    public void Clear(bool detach = false)
    {
        if (detach)
        {
            _items = new Entry[_items.Length];
        }
        else
        {
            Array.Clear(_items, 0, Count);
        }

        Count = 0;
    }
}
