using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// A disk with a synced part (<see cref="Durable"/>, what survives a crash) and a written-but-unsynced part
/// (the pending write of the current Ready). A crash keeps a random prefix of the pending write, in the order
/// a log would have written it: snapshot, entries, then the hard state record last.
/// </summary>
internal sealed class SimulatedDisk
{
    private Snapshot? _pendingSnapshot;
    private Entry[] _pendingEntries = [];
    private HardState? _pendingHardState;

    public SimulatedDisk(ConfState initialConfState)
    {
        Durable = new MemoryRaftStorage(initialConfState);
    }

    public MemoryRaftStorage Durable { get; }

    public bool HasPendingWrite { get; private set; }

    /// <summary>Writes a Ready's state to the page cache; entries are copied because the Ready is reused.</summary>
    public void Write(Ready ready)
    {
        Invariant.Check(!HasPendingWrite, "one write in flight at a time");
        _pendingSnapshot = ready.Snapshot;
        _pendingEntries = ready.Entries.ToArray();
        _pendingHardState = ready.HardState;
        HasPendingWrite = true;
    }

    public void Sync()
    {
        Invariant.Check(HasPendingWrite, "sync without a write");
        Persist(_pendingEntries.Length, withHardState: true);
        Clear();
    }

    /// <summary>A crash: an unsynced write survives only up to a random cut point.</summary>
    public void Crash(ref DeterministicRandom random)
    {
        if (!HasPendingWrite)
        {
            return;
        }

        int pieces = _pendingEntries.Length + 2;
        int cut = random.NextInt(pieces + 1);
        if (cut > 0)
        {
            Persist(Math.Min(cut - 1, _pendingEntries.Length), withHardState: cut == pieces);
        }

        Clear();
    }

    private void Persist(int entryCount, bool withHardState)
    {
        if (_pendingSnapshot is not null)
        {
            Durable.ApplySnapshot(_pendingSnapshot);
        }

        Durable.Append(_pendingEntries.AsSpan(0, entryCount));
        if (withHardState && _pendingHardState is { } hardState)
        {
            Durable.SetHardState(hardState);
        }
    }

    private void Clear()
    {
        _pendingSnapshot = null;
        _pendingEntries = [];
        _pendingHardState = null;
        HasPendingWrite = false;
    }
}
