using System.Runtime.InteropServices;

namespace Lattice.Raft;

/// <summary>
/// One batch of work for the host, valid until the next <see cref="RawNode.GetReady"/> (the host must write or
/// copy entries before calling the node again). The order that keeps Raft safe:
/// <list type="number">
/// <item>Send <see cref="MessagesBeforePersist"/> at once (leader appends: thesis §10.2.1).</item>
/// <item>Persist <see cref="Snapshot"/>, then <see cref="Entries"/>, then <see cref="HardState"/>; fsync if <see cref="MustSync"/>.</item>
/// <item>Then send <see cref="MessagesAfterPersist"/> (votes and acknowledgements promise durable state).</item>
/// <item>Apply the snapshot and <see cref="CommittedEntries"/> in order, serve <see cref="ReadStates"/>
/// once applied, then call <see cref="RawNode.Advance"/>.</item>
/// </list>
/// </summary>
public sealed class Ready
{
    internal List<RaftMessage> BeforePersist { get; } = new();

    internal List<RaftMessage> AfterPersist { get; } = new();

    internal List<ReadState> ReadStateList { get; } = new();

    /// <summary>Set when term, vote or commit changed since the last persisted hard state.</summary>
    public HardState? HardState { get; internal set; }

    /// <summary>Entries to append to the durable log, replacing any conflicting suffix.</summary>
    public ReadOnlyMemory<Entry> Entries { get; internal set; }

    /// <summary>A snapshot received from the leader: persist it, then restore the state machine from it.</summary>
    public Snapshot? Snapshot { get; internal set; }

    /// <summary>Committed entries to apply, in order; all of them are durable once this Ready is persisted.</summary>
    public ReadOnlyMemory<Entry> CommittedEntries { get; internal set; }

    /// <summary>True when the write must be fsynced before <see cref="MessagesAfterPersist"/> go out.</summary>
    public bool MustSync { get; internal set; }

    public ReadOnlySpan<RaftMessage> MessagesBeforePersist => CollectionsMarshal.AsSpan(BeforePersist);

    public ReadOnlySpan<RaftMessage> MessagesAfterPersist => CollectionsMarshal.AsSpan(AfterPersist);

    public ReadOnlySpan<ReadState> ReadStates => CollectionsMarshal.AsSpan(ReadStateList);

    public ulong Leader { get; internal set; }

    public RaftRole Role { get; internal set; }

    public ulong Term { get; internal set; }

    internal void Clear()
    {
        BeforePersist.Clear();
        AfterPersist.Clear();
        ReadStateList.Clear();
        HardState = null;
        Entries = ReadOnlyMemory<Entry>.Empty;
        Snapshot = null;
        CommittedEntries = ReadOnlyMemory<Entry>.Empty;
        MustSync = false;
    }
}
