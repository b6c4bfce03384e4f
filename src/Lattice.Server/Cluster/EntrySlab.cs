namespace Lattice.Server.Cluster;

/// <summary>
/// Gives one group's entries stable memory for their life in its log without an allocation per entry: payloads are
/// copied into large chunks and handed out as slices. Each chunk remembers the highest log index it holds a payload
/// for; once the log dropped every entry up to that index from memory (trimmed or compacted), no entry refers to
/// the chunk any more (the core and the transport never keep payloads past a Ready: messages are serialized when
/// sent), so it is reused instead of left to the GC. Used only by the Raft thread.
/// </summary>
internal sealed class EntrySlab
{
    private const int ChunkBytes = 1024 * 1024;
    private const int OwnArrayBytes = ChunkBytes / 4;

    /// <summary>Free chunks kept for reuse; more are left to the GC (a burst should not pin its memory).</summary>
    private const int SpareChunksMax = 2;

    private readonly Queue<FullChunk> _full = new();
    private readonly Stack<byte[]> _spare = new();
    private byte[] _chunk = new byte[ChunkBytes];
    private ulong _chunkLastIndex;
    private int _used;

    /// <summary>
    /// Copies the payload of the entry that will be at <paramref name="index"/> (a proposal the core then refuses
    /// only leaves unused bytes behind: the index is an upper bound for what the chunk holds).
    /// </summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data, ulong index)
    {
        if (data.Length >= OwnArrayBytes)
        {
            return data.ToArray();
        }

        if (_used + data.Length > _chunk.Length)
        {
            _full.Enqueue(new FullChunk(_chunk, _chunkLastIndex));
            _chunk = _spare.Count > 0 ? _spare.Pop() : new byte[ChunkBytes];
            _chunkLastIndex = 0;
            _used = 0;
        }

        Memory<byte> slice = _chunk.AsMemory(_used, data.Length);
        data.CopyTo(slice.Span);
        _used += data.Length;
        _chunkLastIndex = Math.Max(_chunkLastIndex, index);
        return slice;
    }

    /// <summary>The log no longer holds any entry up to <paramref name="index"/> in memory: their chunks are free.</summary>
    public void Release(ulong index)
    {
        while (_full.TryPeek(out FullChunk full) && full.LastIndex <= index)
        {
            _full.Dequeue();
            if (_spare.Count < SpareChunksMax)
            {
                _spare.Push(full.Bytes);
            }
        }
    }

    private readonly record struct FullChunk(byte[] Bytes, ulong LastIndex);
}
