using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A run of consecutive list elements packed into one byte array, with the start of each in an int array: no
/// object per element, as Redis packs a quicklist node's elements into one listpack. Both arrays keep free room at
/// both ends, so pushes at either end of a page are O(1) until its room runs out. A page belongs to the list whose
/// owner token it carries; a page shared with a clone is copied before it changes (see <see cref="ListValue"/>).
/// </summary>
internal sealed class ListPage
{
    /// <summary>Elements a page holds at most.</summary>
    public const int ElementsMax = 128;

    /// <summary>Bytes a page packs at most, as Redis's default list-max-listpack-size (-2, 8 KB); a larger element gets a page alone.</summary>
    public const int BytesMax = 8 * 1024;

    private const int BytesInitial = 32;
    private const int StartsInitial = 4;

    private byte[] _data;
    private int _low;
    private int _high;

    // Element i of the page starts at _starts[_first + i] and ends where the next begins (the last at _high).
    private int[] _starts;
    private int _first;
    private int _count;

    public ListPage(object owner, int bytesCapacity)
    {
        Owner = owner;
        _data = new byte[Math.Max(BytesInitial, bytesCapacity)];
        _starts = new int[StartsInitial];
        _low = _high = _data.Length / 2;
        _first = _starts.Length / 2;
    }

    private ListPage(object owner, ListPage source)
    {
        Owner = owner;
        _data = (byte[])source._data.Clone();
        _starts = (int[])source._starts.Clone();
        _low = source._low;
        _high = source._high;
        _first = source._first;
        _count = source._count;
    }

    /// <summary>The list allowed to change this page; any other list holding it copies it first.</summary>
    public object Owner { get; }

    public int Count => _count;

    /// <summary>Bytes of the elements held.</summary>
    public int Bytes => _high - _low;

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            (int start, int end) = Bounds(index);
            return _data.AsSpan(start, end - start);
        }
    }

    public ListPage CopyFor(object owner) => new(owner, this);

    /// <summary>True when an element of <paramref name="length"/> bytes may join this page at either end.</summary>
    public bool CanTake(int length) =>
        _count == 0 || (_count < ElementsMax && (long)Bytes + length <= BytesMax);

    public void PushFront(ReadOnlySpan<byte> element)
    {
        Invariant.Check(CanTake(element.Length), "the page has room for the element");
        if (_low < element.Length || _first == 0)
        {
            Relayout(element.Length, front: true);
        }

        _low -= element.Length;
        element.CopyTo(_data.AsSpan(_low));
        _first--;
        _starts[_first] = _low;
        _count++;
    }

    public void PushBack(ReadOnlySpan<byte> element)
    {
        Invariant.Check(CanTake(element.Length), "the page has room for the element");
        if (_data.Length - _high < element.Length || _first + _count == _starts.Length)
        {
            Relayout(element.Length, front: false);
        }

        _starts[_first + _count] = _high;
        element.CopyTo(_data.AsSpan(_high));
        _high += element.Length;
        _count++;
    }

    public void RemoveFront()
    {
        Invariant.Check(_count > 0, "remove from a non-empty page");
        _first++;
        _count--;
        _low = _count > 0 ? _starts[_first] : _high;
    }

    /// <summary>Overwrites element <paramref name="index"/> with an element of the same length, in place.</summary>
    public void Overwrite(int index, ReadOnlySpan<byte> element)
    {
        (int start, int end) = Bounds(index);
        Invariant.Check(end - start == element.Length, "an overwrite keeps the element's length");
        element.CopyTo(_data.AsSpan(start));
    }

    /// <summary>Where element <paramref name="index"/> starts and ends in the data array.</summary>
    private (int Start, int End) Bounds(int index)
    {
        Invariant.Check((uint)index < (uint)_count, "page index in range");
        int start = _starts[_first + index];
        return (start, index + 1 < _count ? _starts[_first + index + 1] : _high);
    }

    public void RemoveBack()
    {
        Invariant.Check(_count > 0, "remove from a non-empty page");
        _count--;
        _high = _starts[_first + _count];
    }

    /// <summary>
    /// Moves the elements so that the requested end has room for one more element of <paramref name="length"/>
    /// bytes, growing the arrays (doubling) when the page lacks room in total. Three quarters of the free room go
    /// to the requested end, so a page pushed from one side rarely moves again, and one pushed from both sides
    /// keeps room at each.
    /// </summary>
    private void Relayout(int length, bool front)
    {
        int bytes = Bytes;
        int bytesCapacity = _data.Length;
        while (bytesCapacity - bytes < length)
        {
            bytesCapacity = (int)Math.Min(Array.MaxLength, Math.Max((long)bytesCapacity * 2, (long)bytes + length));
        }

        int startsCapacity = _starts.Length;
        if (_count + 1 > startsCapacity)
        {
            startsCapacity *= 2;
        }

        int freeBytes = bytesCapacity - bytes - length;
        int low = front ? length + freeBytes - (freeBytes / 4) : freeBytes / 4;
        int freeStarts = startsCapacity - _count - 1;
        int first = front ? 1 + freeStarts - (freeStarts / 4) : freeStarts / 4;

        byte[] data = bytesCapacity == _data.Length ? _data : new byte[bytesCapacity];
        Buffer.BlockCopy(_data, _low, data, low, bytes);
        int shift = low - _low;
        int[] starts = startsCapacity == _starts.Length ? _starts : new int[startsCapacity];
        if (shift == 0)
        {
            Array.Copy(_starts, _first, starts, first, _count);
        }
        else if (starts == _starts && first > _first)
        {
            // Same array, moving up: the last start first, so none is read after it was overwritten.
            for (int i = _count - 1; i >= 0; i--)
            {
                starts[first + i] = _starts[_first + i] + shift;
            }
        }
        else
        {
            for (int i = 0; i < _count; i++)
            {
                starts[first + i] = _starts[_first + i] + shift;
            }
        }

        _data = data;
        _starts = starts;
        _low = low;
        _high = low + bytes;
        _first = first;
    }
}
