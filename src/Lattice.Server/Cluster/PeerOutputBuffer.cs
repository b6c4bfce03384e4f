using System.Buffers;
using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>
/// Growable pooled byte buffer holding whole frames queued for one peer. Two of these per peer are swapped by the
/// writer, so senders keep appending while a batch is on the socket and nothing is allocated per message.
/// </summary>
internal sealed class PeerOutputBuffer
{
    private const int InitialBytes = 64 * 1024;

    /// <summary>Above this size an emptied buffer goes back to the pool, so one burst does not pin memory.</summary>
    private const int RetainBytes = 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);

    public int WrittenBytes { get; private set; }

    public int Frames { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, WrittenBytes);

    /// <summary>A span of exactly <paramref name="bytes"/> at the end; call <see cref="Commit"/> after filling it.</summary>
    public Span<byte> Reserve(int bytes)
    {
        Invariant.Check(_buffer.Length != 0, "output buffer used after release");
        if (_buffer.Length - WrittenBytes < bytes)
        {
            long wanted = Math.Max((long)_buffer.Length * 2, (long)WrittenBytes + bytes);
            byte[] next = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
            Invariant.Check(next.Length - WrittenBytes >= bytes, "output buffer cannot grow enough");
            _buffer.AsSpan(0, WrittenBytes).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = next;
        }

        return _buffer.AsSpan(WrittenBytes, bytes);
    }

    public void Commit(int bytes)
    {
        WrittenBytes += bytes;
        Frames++;
    }

    public void Clear()
    {
        WrittenBytes = 0;
        Frames = 0;
        if (_buffer.Length > RetainBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
        }
    }

    /// <summary>Gives the array back to the pool; the buffer is unusable afterwards.</summary>
    public void Release()
    {
        if (_buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        WrittenBytes = 0;
        Frames = 0;
    }
}
