using Lattice.Common;

namespace Lattice.Raft;

/// <summary>A snapshot being received chunk by chunk; accepts only the next expected byte range.</summary>
internal sealed class SnapshotAssembly
{
    private readonly byte[] _data;

    public SnapshotAssembly(ulong index, ulong term, ConfState confState, long totalBytes)
    {
        Invariant.Check(totalBytes >= 0 && totalBytes <= int.MaxValue, "snapshot size out of range");
        Index = index;
        Term = term;
        ConfState = confState;
        _data = new byte[totalBytes];
    }

    public ulong Index { get; }

    public ulong Term { get; }

    public ConfState ConfState { get; }

    public long TotalBytes => _data.Length;

    public long ReceivedBytes { get; private set; }

    public bool IsComplete => ReceivedBytes == _data.Length;

    /// <summary>Takes a chunk if it starts exactly where the received bytes end; duplicates and gaps are ignored.</summary>
    public bool TryAccept(long offsetBytes, ReadOnlySpan<byte> chunk)
    {
        if (offsetBytes != ReceivedBytes || offsetBytes + chunk.Length > _data.Length)
        {
            return false;
        }

        chunk.CopyTo(_data.AsSpan((int)offsetBytes));
        ReceivedBytes += chunk.Length;
        Invariant.Check(ReceivedBytes <= _data.Length, "received more than the snapshot size");
        return true;
    }

    public Snapshot ToSnapshot()
    {
        Invariant.Check(IsComplete, "snapshot is not complete");
        return new Snapshot(new SnapshotMetadata(Index, Term, ConfState), _data);
    }
}
