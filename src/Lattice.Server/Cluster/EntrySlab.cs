namespace Lattice.Server.Cluster;

/// <summary>
/// Gives proposals stable memory for their life in the Raft log without an allocation per entry: payloads are
/// copied into large chunks and handed out as slices. A chunk is freed by the GC once no log entry refers to it.
/// Used only by the Raft thread.
/// </summary>
internal sealed class EntrySlab
{
    private const int ChunkBytes = 1024 * 1024;
    private const int OwnArrayBytes = ChunkBytes / 4;
    private byte[] _chunk = new byte[ChunkBytes];
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        if (data.Length >= OwnArrayBytes)
        {
            return data.ToArray();
        }

        if (_used + data.Length > _chunk.Length)
        {
            _chunk = new byte[ChunkBytes];
            _used = 0;
        }

        Memory<byte> slice = _chunk.AsMemory(_used, data.Length);
        data.CopyTo(slice.Span);
        _used += data.Length;
        return slice;
    }
}
