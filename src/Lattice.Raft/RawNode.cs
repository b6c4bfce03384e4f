using Lattice.Common;
using Lattice.Raft.ConfChange;
using Lattice.Raft.Tracker;

namespace Lattice.Raft;

/// <summary>
/// The host's handle on one Raft group member. Call <see cref="Tick"/> on a timer, <see cref="Step"/> for each
/// received message, the proposal and read methods for clients; then, while <see cref="HasReady"/>, take
/// <see cref="GetReady"/>, do what it says in the documented order, and call <see cref="Advance"/>.
/// Only one Ready is outstanding at a time. Single-threaded: the host serializes all calls.
/// </summary>
public sealed class RawNode
{
    private readonly RaftCore _core;
    private readonly Ready _ready = new();
    private readonly EntryBuffer _committed = new();
    private bool _readyOutstanding;
    private ulong _readyLastEntryIndex;
    private ulong _readyLastEntryTerm;
    private ulong _readySnapshotIndex;
    private ulong _readyLastCommittedIndex;
    private long _readyCommittedBytes;

    public RawNode(RaftOptions options, IRaftStorage storage)
    {
        _core = new RaftCore(options, storage);
    }

    public ulong Id => _core.Id;

    public ulong GroupId => _core.Options.GroupId;

    public ulong Term => _core.Term;

    public ulong Leader => _core.Leader;

    public RaftRole Role => _core.Role;

    public bool IsLearner => _core.IsLearner;

    public ulong CommitIndex => _core.Log.Committed;

    public ulong AppliedIndex => _core.Log.Applied;

    public ulong LastIndex => _core.Log.LastIndex();

    public ulong LeadTransferee => _core.LeadTransferee;

    /// <summary>
    /// A leader that takes data proposals when it has room: not transferring leadership, not on its way out. When
    /// <see cref="Propose"/> refuses such a leader, it is full for now (proposals per Ready, uncommitted bytes).
    /// </summary>
    public bool AcceptsProposals => _core.Role == RaftRole.Leader && _core.LeadTransferee == 0 && _core.Tracker.Config.Voters.Incoming.Contains(_core.Id);

    /// <inheritdoc cref="RaftCore.LeadsAlone"/>
    public bool LeadsAlone => _core.LeadsAlone;

    public ConfState ConfState => _core.Tracker.Config.ToConfState();

    public HardState HardState => _core.HardState;

    internal RaftCore Core => _core;

    public bool TryGetTerm(ulong index, out ulong term) => _core.Log.TryGetTerm(index, out term);

    public bool TryGetProgress(ulong id, out ProgressStatus status)
    {
        status = default;
        if (_core.Role != RaftRole.Leader || !_core.Tracker.TryGet(id, out Progress? progress))
        {
            return false;
        }

        status = new ProgressStatus(progress.Match, progress.Next, progress.State, progress.IsLearner, progress.HeardRecently);
        return true;
    }

    public void Tick() => _core.Tick();

    /// <summary>Feeds a message received from a peer. Messages for another group or node are refused.</summary>
    public void Step(in RaftMessage message)
    {
        if (message.GroupId != GroupId || message.To != Id || message.From == 0 || (byte)message.Type < (byte)MessageType.Append)
        {
            return;
        }

        RaftMessage copy = message;
        _core.Step(ref copy);
    }

    /// <summary>Starts an election now (e.g. to bootstrap quickly); no-op for leaders and non-voters.</summary>
    public void Campaign()
    {
        var message = new RaftMessage { Type = MessageType.Hup, From = Id, GroupId = GroupId };
        _core.Step(ref message);
    }

    /// <summary>Proposes data; false when this node cannot accept it (not leader, transfer, limits).</summary>
    public bool Propose(ReadOnlyMemory<byte> data) => _core.Propose(EntryType.Normal, data);

    public bool ProposeConfChange(ConfChangeRequest request) => _core.ProposeConfChange(request);

    /// <summary>Asks for a linearizable read; a <see cref="ReadState"/> with this id arrives in a later Ready.</summary>
    public void ReadIndex(ulong requestId)
    {
        var message = new RaftMessage { Type = MessageType.ReadIndex, From = Id, GroupId = GroupId, Context = requestId };
        _core.Step(ref message);
    }

    public void TransferLeader(ulong transferee)
    {
        Invariant.Check(transferee != 0, "transferee id must not be 0");
        var message = new RaftMessage { Type = MessageType.TransferLeader, From = Id, GroupId = GroupId, Context = transferee };
        _core.Step(ref message);
    }

    /// <summary>Applies a committed membership change and returns the configuration to store with snapshots.</summary>
    public ConfState ApplyConfChange(ConfChangeRequest request) => _core.ApplyConfChange(request);

    public bool HasReady()
    {
        if (_readyOutstanding)
        {
            return false;
        }

        RaftLog log = _core.Log;
        return _core.HasPendingBroadcast || log.Unstable.Entries.Count > 0 || log.Unstable.Snapshot is not null ||
            _core.MessagesAfterPersist.Count > 0 || _core.MessagesBeforePersist.Count > 0 || _core.ReadStates.Count > 0 ||
            _core.HardState != _core.PersistedHardState || log.HasEntriesToApply(ulong.MaxValue);
    }

    public Ready GetReady()
    {
        Invariant.Check(!_readyOutstanding, "the previous Ready was not advanced");
        _core.SwapArena();
        _core.FlushPending();
        _ready.Clear();
        FillEntries();
        FillCommitted();
        HardState hardState = _core.HardState;
        if (hardState != _core.PersistedHardState)
        {
            _ready.HardState = hardState;
        }

        PersistedHardStateCheck(hardState);
        _ready.BeforePersist.AddRange(_core.MessagesBeforePersist);
        _ready.AfterPersist.AddRange(_core.MessagesAfterPersist);
        _ready.ReadStateList.AddRange(_core.ReadStates);
        _core.MessagesBeforePersist.Clear();
        _core.MessagesAfterPersist.Clear();
        _core.ReadStates.Clear();
        _ready.Leader = _core.Leader;
        _ready.Role = _core.Role;
        _ready.Term = _core.Term;
        _readyOutstanding = true;
        return _ready;
    }

    private void PersistedHardStateCheck(HardState hardState)
    {
        HardState persisted = _core.PersistedHardState;
        _ready.MustSync = !_ready.Entries.IsEmpty || _ready.Snapshot is not null ||
            hardState.Term != persisted.Term || hardState.Vote != persisted.Vote;
        Invariant.Check(hardState.Term >= persisted.Term, "term went backwards");
    }

    private void FillEntries()
    {
        UnstableLog unstable = _core.Log.Unstable;
        unstable.MarkHandedOut();
        _ready.Snapshot = unstable.Snapshot;
        _readySnapshotIndex = unstable.Snapshot?.Metadata.Index ?? 0;
        _ready.Entries = unstable.Entries.Slice(0, unstable.Entries.Count);
        _readyLastEntryIndex = 0;
        _readyLastEntryTerm = 0;
        if (unstable.Entries.Count > 0)
        {
            Entry last = unstable.Entries[unstable.Entries.Count - 1];
            _readyLastEntryIndex = last.Index;
            _readyLastEntryTerm = last.Term;
        }
    }

    private void FillCommitted()
    {
        RaftLog log = _core.Log;
        _committed.Clear();
        _readyLastCommittedIndex = 0;
        _readyCommittedBytes = 0;
        ulong low = Math.Max(log.Applied, _readySnapshotIndex) + 1;
        if (log.Committed >= low)
        {
            bool found = log.TrySlice(low, log.Committed + 1, _core.Options.MaxCommittedBytesPerReady, _committed);
            Invariant.Check(found, "committed entries above the applied index were compacted");
            _readyLastCommittedIndex = _committed[_committed.Count - 1].Index;
            foreach (ref readonly Entry entry in _committed.Span)
            {
                _readyCommittedBytes += entry.Data.Length;
            }
        }

        _ready.CommittedEntries = _committed.Slice(0, _committed.Count);
    }

    /// <summary>Tells the node everything in the last Ready was persisted, sent and applied.</summary>
    public void Advance()
    {
        Invariant.Check(_readyOutstanding, "Advance without an outstanding Ready");
        _readyOutstanding = false;
        RaftLog log = _core.Log;
        if (_ready.HardState is { } hardState)
        {
            _core.PersistedHardState = hardState;
        }

        if (_readySnapshotIndex != 0)
        {
            log.StableSnapshotTo(_readySnapshotIndex);
            log.SnapshotApplied(_readySnapshotIndex);
        }

        if (_readyLastEntryIndex != 0)
        {
            log.StableTo(_readyLastEntryIndex, _readyLastEntryTerm);
        }

        if (_readyLastCommittedIndex != 0)
        {
            log.AppliedTo(_readyLastCommittedIndex);
            _core.ReduceUncommittedBytes(_readyCommittedBytes);
        }

        _core.SelfPersisted(log.PersistedLastIndex());
        _core.MaybeAutoLeave();
        _core.MaybeCampaignAfterApply();
    }
}
