using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// What a Raft group's committed entries are applied to, in index order, one batch per Ready between
/// <see cref="BeginApply"/> and <see cref="EndApply"/>. Called only on the node's Raft thread.
/// </summary>
internal interface IGroupStateMachine
{
    ulong AppliedIndex { get; }

    void BeginApply();

    /// <summary>Applies one committed entry; membership changes arrive here too (already applied to Raft by the host).</summary>
    void Apply(in Entry entry);

    void EndApply();

    /// <summary>
    /// Called between <see cref="BeginApply"/> and <see cref="EndApply"/> with the next few entries about to be applied,
    /// so their memory can start loading (a hint: changes nothing).
    /// </summary>
    void Prefetch(ReadOnlySpan<Entry> entries);

    /// <summary>Captures the state at the applied index for a background write; the capture stays valid until <see cref="EndSnapshot"/>.</summary>
    object? CaptureSnapshot();

    /// <summary>Writes a capture (on a background thread) after the membership in the snapshot payload.</summary>
    void WriteSnapshot(object? captured, long index, Stream output);

    void EndSnapshot(object? captured);

    /// <summary>Replaces the whole state with a snapshot's image at <paramref name="index"/> (Raft thread).</summary>
    void RestoreSnapshot(Stream input, ulong index);
}
