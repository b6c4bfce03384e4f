using Lattice.Common;

namespace Lattice.Raft.Tracker;

/// <summary>
/// The flow-control window to one follower: a ring of (last index, bytes) per append in flight. Full when the
/// message count or the byte budget is used up; acknowledgements free everything up to the acked index.
/// </summary>
public sealed class Inflights
{
    private readonly ulong[] _lastIndexes;
    private readonly long[] _sizesBytes;
    private readonly long _maxBytes;
    private int _start;

    public Inflights(int maxCount, long maxBytes)
    {
        Invariant.Check(maxCount > 0, "in-flight window needs room for one message");
        Invariant.Check(maxBytes >= 0, "byte budget must not be negative");
        _lastIndexes = new ulong[maxCount];
        _sizesBytes = new long[maxCount];
        _maxBytes = maxBytes;
    }

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    public int Capacity => _lastIndexes.Length;

    public bool IsFull => Count == _lastIndexes.Length || (_maxBytes > 0 && Bytes >= _maxBytes);

    public void Add(ulong lastIndex, long sizeBytes)
    {
        Invariant.Check(!IsFull, "add to a full in-flight window");
        if (Count > 0)
        {
            Invariant.Check(lastIndex > _lastIndexes[(_start + Count - 1) % Capacity], "in-flight indexes must grow");
        }

        int slot = (_start + Count) % Capacity;
        _lastIndexes[slot] = lastIndex;
        _sizesBytes[slot] = sizeBytes;
        Count++;
        Bytes += sizeBytes;
    }

    /// <summary>Frees every message whose last index is at or below <paramref name="index"/>.</summary>
    public void FreeLessOrEqual(ulong index)
    {
        while (Count > 0 && _lastIndexes[_start] <= index)
        {
            Bytes -= _sizesBytes[_start];
            _start = (_start + 1) % Capacity;
            Count--;
        }

        Invariant.Check(Bytes >= 0, "in-flight bytes went negative");
    }

    public void FreeFirstOne()
    {
        if (Count > 0)
        {
            FreeLessOrEqual(_lastIndexes[_start]);
        }
    }

    public void Reset()
    {
        Count = 0;
        Bytes = 0;
        _start = 0;
    }
}
