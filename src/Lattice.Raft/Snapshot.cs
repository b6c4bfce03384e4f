namespace Lattice.Raft;

/// <summary>A state machine image at <see cref="SnapshotMetadata.Index"/>. The data is opaque to the core.</summary>
public sealed record Snapshot(SnapshotMetadata Metadata, ReadOnlyMemory<byte> Data)
{
    public bool IsEmpty => Metadata.Index == 0;

    public static Snapshot CreateEmpty(ConfState confState) => new(new SnapshotMetadata(0, 0, confState), ReadOnlyMemory<byte>.Empty);
}
