using System.Buffers;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// One side of the double-buffered batch: whole records copied in back to back, in a pooled array that grows by
/// doubling and is kept between flushes, so appends in steady state allocate nothing.
/// </summary>
internal sealed class AppendBuffer : IDisposable
{
    private readonly int _initialBytes;
    private readonly int _retainedBytesMax;
    private byte[] _bytes;

    public AppendBuffer(int initialBytes, int retainedBytesMax)
    {
        Invariant.Check(initialBytes > 0 && retainedBytesMax >= initialBytes, "buffer sizes are sane");
        _initialBytes = initialBytes;
        _retainedBytesMax = retainedBytesMax;
        _bytes = ArrayPool<byte>.Shared.Rent(initialBytes);
    }

    public int Length { get; private set; }

    public int RecordCount { get; private set; }

    /// <summary>Append sequence of the last record copied in.</summary>
    public long LastSequence { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, long sequence)
    {
        Invariant.Check(sequence > LastSequence, "append sequences increase");
        int total = header.Length + payload.Length;
        EnsureCapacity((long)Length + total);
        header.CopyTo(_bytes.AsSpan(Length));
        payload.CopyTo(_bytes.AsSpan(Length + header.Length));
        Length += total;
        RecordCount++;
        LastSequence = sequence;
    }

    /// <summary>Empties the buffer for reuse; an array grown by a burst goes back to the pool.</summary>
    public void Reset()
    {
        if (_bytes.Length > _retainedBytesMax)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(_initialBytes);
        }

        Length = 0;
        RecordCount = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
        Length = 0;
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _bytes.Length)
        {
            return;
        }

        Invariant.Check(needed <= Array.MaxLength, "batch fits in one array");
        long grown = Math.Min(Math.Max(needed, (long)_bytes.Length * 2), Array.MaxLength);
        byte[] larger = ArrayPool<byte>.Shared.Rent((int)grown);
        _bytes.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = larger;
    }
}
