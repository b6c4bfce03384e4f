using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A Redis list: a circular deque of immutable byte arrays. Pushes and pops at either end are amortised
/// O(1) and index access is O(1); inserts and removals in the middle shift elements. Element arrays are
/// never mutated once stored, so clones may share them.
/// </summary>
public sealed class ListValue : CollectionValue
{
    private const int MinCapacity = 4;
    private const long ElementOverheadBytes = 32;
    private const int SnapshotPreallocateMax = 1 << 16;

    private byte[][] _items;
    private int _head;
    private int _count;

    // Sum of element lengths, kept as elements come and go so EstimateBytes is O(1).
    private long _elementBytes;

    public ListValue()
        : this(new byte[MinCapacity][], 0, 0, 0)
    {
    }

    private ListValue(byte[][] items, int head, int count, long elementBytes)
    {
        _items = items;
        _head = head;
        _count = count;
        _elementBytes = elementBytes;
    }

    public override ValueKind Kind => ValueKind.List;

    public override int Count => _count;

    /// <summary>The element at logical <paramref name="index"/> (0 = head).</summary>
    public byte[] this[int index]
    {
        get
        {
            Invariant.Check((uint)index < (uint)_count, "list index in range");
            return _items[Physical(index)];
        }
    }

    public void PushFront(byte[] element)
    {
        EnsureRoom();
        _head = _head == 0 ? _items.Length - 1 : _head - 1;
        _items[_head] = element;
        _count++;
        _elementBytes += element.Length;
    }

    public void PushBack(byte[] element)
    {
        EnsureRoom();
        _items[Physical(_count)] = element;
        _count++;
        _elementBytes += element.Length;
    }

    public byte[] PopFront()
    {
        Invariant.Check(_count > 0, "pop from a non-empty list");
        byte[] element = _items[_head];
        _items[_head] = null!;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        _count--;
        _elementBytes -= element.Length;
        ShrinkIfSparse();
        return element;
    }

    public byte[] PopBack()
    {
        Invariant.Check(_count > 0, "pop from a non-empty list");
        int last = Physical(_count - 1);
        byte[] element = _items[last];
        _items[last] = null!;
        _count--;
        _elementBytes -= element.Length;
        ShrinkIfSparse();
        return element;
    }

    /// <summary>Replaces the element at <paramref name="index"/> (LSET).</summary>
    public void Replace(int index, byte[] element)
    {
        Invariant.Check((uint)index < (uint)_count, "list index in range");
        int slot = Physical(index);
        _elementBytes += element.Length - _items[slot].Length;
        _items[slot] = element;
    }

    /// <summary>Inserts so that the new element ends up at <paramref name="index"/>; shifts the shorter side.</summary>
    public void Insert(int index, byte[] element)
    {
        Invariant.Check((uint)index <= (uint)_count, "insert position in range");
        if (index < _count / 2)
        {
            PushFront(element);
            for (int i = 0; i < index; i++)
            {
                _items[Physical(i)] = _items[Physical(i + 1)];
            }
        }
        else
        {
            PushBack(element);
            for (int i = _count - 1; i > index; i--)
            {
                _items[Physical(i)] = _items[Physical(i - 1)];
            }
        }

        _items[Physical(index)] = element;
    }

    /// <summary>First index of <paramref name="element"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> element)
    {
        for (int i = 0; i < _count; i++)
        {
            if (element.SequenceEqual(_items[Physical(i)]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Keeps only the elements in [<paramref name="start"/>, <paramref name="start"/> + <paramref name="keep"/>).</summary>
    public void Keep(int start, int keep)
    {
        Invariant.Check(start >= 0 && keep >= 0 && (long)start + keep <= _count, "kept range inside the list");
        for (int i = 0; i < start; i++)
        {
            ClearAt(i);
        }

        for (int i = start + keep; i < _count; i++)
        {
            ClearAt(i);
        }

        _head = Physical(start);
        _count = keep;
        ShrinkIfSparse();
    }

    /// <summary>
    /// Removes up to <paramref name="limit"/> elements equal to <paramref name="element"/> (all when 0), from the
    /// head or, when <paramref name="fromTail"/>, from the tail (LREM). Returns how many went.
    /// </summary>
    public int RemoveMatching(ReadOnlySpan<byte> element, long limit, bool fromTail)
    {
        Invariant.Check(limit >= 0, "removal limit is non-negative");
        int removed = 0;
        int kept = 0;
        for (int step = 0; step < _count; step++)
        {
            int read = fromTail ? _count - 1 - step : step;
            byte[] item = _items[Physical(read)];
            if ((limit == 0 || removed < limit) && element.SequenceEqual(item))
            {
                removed++;
                _elementBytes -= item.Length;
                continue;
            }

            int write = fromTail ? _count - 1 - kept : kept;
            _items[Physical(write)] = item;
            kept++;
        }

        // The kept elements are packed against the head (or the tail); clear the vacated slots.
        int firstKept = fromTail ? _count - kept : 0;
        for (int i = 0; i < _count; i++)
        {
            if (i < firstKept || i >= firstKept + kept)
            {
                _items[Physical(i)] = null!;
            }
        }

        _head = Physical(firstKept);
        _count = kept;
        ShrinkIfSparse();
        return removed;
    }

    public static ListValue ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int count = HashListSnapshotFormat.ReadCount(reader, sizeof(int));
            // Grow as elements arrive rather than trusting the count for one big allocation.
            var list = new ListValue(new byte[Math.Clamp(count, MinCapacity, SnapshotPreallocateMax)][], 0, 0, 0);
            for (int i = 0; i < count; i++)
            {
                list.PushBack(HashListSnapshotFormat.ReadBytes(reader));
            }

            return list;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot payload is damaged: truncated list", e);
        }
    }

    public override CollectionValue Clone()
    {
        var items = new byte[Math.Max(MinCapacity, _count)][];
        CopyTo(items);
        return new ListValue(items, 0, _count, _elementBytes);
    }

    public override void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_count);
        for (int i = 0; i < _count; i++)
        {
            HashListSnapshotFormat.WriteBytes(writer, _items[Physical(i)]);
        }
    }

    public override long EstimateBytes() => (_items.Length * 8L) + (_count * ElementOverheadBytes) + _elementBytes;

    private int Physical(int index)
    {
        int slot = _head + index;
        return slot >= _items.Length ? slot - _items.Length : slot;
    }

    private void ClearAt(int index)
    {
        int slot = Physical(index);
        _elementBytes -= _items[slot].Length;
        _items[slot] = null!;
    }

    private void EnsureRoom()
    {
        if (_count < _items.Length)
        {
            return;
        }

        Invariant.Check(_items.Length < Array.MaxLength / 2, "list capacity overflow");
        Resize(_items.Length * 2);
    }

    // Gives memory back after a list drains, keeping room to grow again without thrashing.
    private void ShrinkIfSparse()
    {
        if (_items.Length > MinCapacity * 4 && _count < _items.Length / 4)
        {
            Resize(Math.Max(MinCapacity, _items.Length / 2));
        }
    }

    private void Resize(int capacity)
    {
        Invariant.Check(capacity >= _count, "resize keeps every element");
        var items = new byte[capacity][];
        CopyTo(items);
        _items = items;
        _head = 0;
    }

    private void CopyTo(byte[][] destination)
    {
        int firstRun = Math.Min(_count, _items.Length - _head);
        Array.Copy(_items, _head, destination, 0, firstRun);
        Array.Copy(_items, 0, destination, firstRun, _count - firstRun);
    }
}
