using System.Buffers;
using Lattice.Common;

namespace Lattice.Resp;

/// <summary>
/// Reusable storage for argument offsets. One per connection or decoder, grown from the array pool and
/// kept, so steady-state parsing allocates nothing.
/// </summary>
public sealed class ArgumentList : IDisposable
{
    private int[] _starts;
    private int[] _lengths;

    public ArgumentList(int initialCapacity = 16)
    {
        _starts = ArrayPool<int>.Shared.Rent(initialCapacity);
        _lengths = ArrayPool<int>.Shared.Rent(initialCapacity);
    }

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Add(int start, int length)
    {
        Invariant.Check(start >= 0 && length >= 0, "argument offsets are non-negative");
        if (Count == _starts.Length)
        {
            Grow();
        }

        _starts[Count] = start;
        _lengths[Count] = length;
        Count++;
    }

    /// <summary>Reserves room for <paramref name="count"/> arguments so a request's header can size it once.</summary>
    public void EnsureCapacity(int count)
    {
        while (_starts.Length < count)
        {
            Grow();
        }
    }

    public CommandArgs AsArgs(ReadOnlySpan<byte> buffer) =>
        new(buffer, _starts.AsSpan(0, Count), _lengths.AsSpan(0, Count));

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_starts);
        ArrayPool<int>.Shared.Return(_lengths);
        _starts = [];
        _lengths = [];
        Count = 0;
    }

    private void Grow()
    {
        int size = Math.Max(16, _starts.Length * 2);
        int[] starts = ArrayPool<int>.Shared.Rent(size);
        int[] lengths = ArrayPool<int>.Shared.Rent(size);
        _starts.AsSpan(0, Count).CopyTo(starts);
        _lengths.AsSpan(0, Count).CopyTo(lengths);
        ArrayPool<int>.Shared.Return(_starts);
        ArrayPool<int>.Shared.Return(_lengths);
        _starts = starts;
        _lengths = lengths;
    }
}
