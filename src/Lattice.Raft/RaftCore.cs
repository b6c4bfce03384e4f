using System.Runtime.InteropServices;
using Lattice.Common;
using Lattice.Raft.Tracker;

namespace Lattice.Raft;

/// <summary>
/// The Raft protocol as a pure state machine: no threads, I/O, clocks or unseeded randomness. Messages it
/// wants to send and entries it wants persisted accumulate here until <see cref="RawNode"/> hands them out.
/// Split by concern: elections, leader, follower, reads, snapshots, membership.
/// </summary>
internal sealed partial class RaftCore
{
    private readonly RaftOptions _options;
    private readonly List<RaftMessage> _messagesAfterPersist = new();
    private readonly List<RaftMessage> _messagesBeforePersist = new();
    private readonly EntryBuffer[] _outboundArenas = [new EntryBuffer(), new EntryBuffer()];
    private readonly EntryBuffer _scratch = new();
    private DeterministicRandom _random;
    private int _arenaIndex;
    private int _electionElapsedTicks;
    private int _heartbeatElapsedTicks;
    private int _randomizedElectionTimeoutTicks;
    private long _uncommittedBytes;
    private bool _broadcastPending;

    public RaftCore(RaftOptions options, IRaftStorage storage)
    {
        options.Validate();
        _options = options;
        _random = new DeterministicRandom(options.RandomSeed ^ (options.NodeId * 0x9E3779B97F4A7C15UL));
        Id = options.NodeId;
        Log = new RaftLog(storage, options.Applied);
        Tracker = new ProgressTracker(options.MaxInflightMessages, options.MaxInflightBytes);
        (HardState hardState, ConfState confState) = storage.InitialState();
        Tracker.SetConfig(ClusterConfig.FromConfState(confState), Log.LastIndex() + 1);
        if (!hardState.IsEmpty)
        {
            Invariant.Check(hardState.Commit <= Log.LastIndex(), "persisted commit index beyond the persisted log");
            Log.CommitTo(hardState.Commit);
            Term = hardState.Term;
            Vote = hardState.Vote;
        }

        PersistedHardState = hardState;
        BecomeFollower(Term, 0);
        _quietUntilTick = options.ReadOnlyMode == ReadOnlyMode.LeaseBased ? options.ElectionTimeoutTicks : 0;
    }

    public ulong Id { get; }

    public ulong Term { get; private set; }

    public ulong Vote { get; private set; }

    public ulong Leader { get; private set; }

    public RaftRole Role { get; private set; }

    public RaftLog Log { get; }

    public ProgressTracker Tracker { get; }

    public bool IsLearner { get; private set; }

    /// <summary>Ticks since this node started; the leader's clock for leases.</summary>
    public long TickCount { get; private set; }

    public ulong LeadTransferee { get; private set; }

    public ulong PendingConfIndex { get; private set; }

    /// <summary>The hard state the host last confirmed as durable.</summary>
    public HardState PersistedHardState { get; set; }

    public HardState HardState => new(Term, Vote, Log.Committed);

    internal PlantedBug Bug => _options.PlantedBugForTestingOnly;

    public RaftOptions Options => _options;

    public List<RaftMessage> MessagesAfterPersist => _messagesAfterPersist;

    public List<RaftMessage> MessagesBeforePersist => _messagesBeforePersist;

    /// <summary>A node may campaign only when it is a voter of its own config.</summary>
    public bool IsPromotable => Tracker.Config.Voters.Contains(Id);

    public void Tick()
    {
        TickCount++;
        _electionElapsedTicks++;
        if (Role == RaftRole.Leader)
        {
            TickLeader();
            return;
        }

        if (IsPromotable && _electionElapsedTicks >= _randomizedElectionTimeoutTicks)
        {
            _electionElapsedTicks = 0;
            StepLocal(MessageType.Hup);
        }
    }

    private void TickLeader()
    {
        _heartbeatElapsedTicks++;
        if (_electionElapsedTicks >= _options.ElectionTimeoutTicks)
        {
            _electionElapsedTicks = 0;
            if (_options.CheckQuorum)
            {
                StepLocal(MessageType.CheckQuorum);
            }

            // A transfer that has not finished within an election timeout is abandoned.
            if (Role == RaftRole.Leader && LeadTransferee != 0)
            {
                LeadTransferee = 0;
            }

            if (Role == RaftRole.Leader && !Tracker.Config.Voters.Contains(Id))
            {
                TransferToBestVoter();
            }
        }

        if (Role == RaftRole.Leader && _heartbeatElapsedTicks >= _options.HeartbeatTimeoutTicks)
        {
            _heartbeatElapsedTicks = 0;
            StepLocal(MessageType.Beat);
        }
    }

    private void StepLocal(MessageType type)
    {
        var message = new RaftMessage { Type = type, From = Id, GroupId = _options.GroupId };
        Step(ref message);
    }

    /// <summary>Builds the pending broadcasts (batched proposals and read rounds) before a Ready is taken.</summary>
    public void FlushPending()
    {
        if (Role != RaftRole.Leader)
        {
            _broadcastPending = false;
            _readRoundPending = false;
            return;
        }

        if (_broadcastPending)
        {
            _broadcastPending = false;
            BroadcastAppend();
        }

        if (_readRoundPending)
        {
            _readRoundPending = false;
            BroadcastHeartbeat();
        }
    }

    public bool HasPendingBroadcast => Role == RaftRole.Leader && (_broadcastPending || _readRoundPending);

    /// <summary>Swaps the outbound entry arena: slices handed out with the previous Ready stay intact until the next swap.</summary>
    public void SwapArena()
    {
        _arenaIndex ^= 1;
        _outboundArenas[_arenaIndex].Clear();
    }

    private EntryBuffer Arena => _outboundArenas[_arenaIndex];

    private void Send(RaftMessage message)
    {
        Invariant.Check(message.To != 0 && message.To != Id, "messages go to another node");
        message.From = Id;
        message.GroupId = _options.GroupId;
        if (message.Term == 0)
        {
            message.Term = Term;
        }

        Invariant.Check(message.Term != 0 || Term == 0, "wire messages carry the sender's term");
        (CanSendBeforePersist(message.Type) ? _messagesBeforePersist : _messagesAfterPersist).Add(message);
    }

    /// <summary>
    /// Raft thesis §10.2.1: the leader may send appends while its own disk write is still running, because it
    /// counts itself toward commit only for persisted entries. Its term must already be durable, though.
    /// </summary>
    private bool CanSendBeforePersist(MessageType type)
    {
        if (Bug == PlantedBug.ApplyBeforePersist && type == MessageType.AppendResponse)
        {
            return true;
        }

        bool leaderTraffic = type is MessageType.Append or MessageType.Heartbeat or MessageType.SnapshotChunk;
        return Role == RaftRole.Leader && leaderTraffic && PersistedHardState.Term == Term;
    }

    private void ResetRandomizedElectionTimeout()
    {
        int timeout = _options.ElectionTimeoutTicks;
        _randomizedElectionTimeoutTicks = timeout + _random.NextInt(timeout);
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Invariant.Check(term > Term, "terms only grow");
            Term = term;
            Vote = 0;
        }

        Leader = 0;
        _electionElapsedTicks = 0;
        _heartbeatElapsedTicks = 0;
        ResetRandomizedElectionTimeout();
        LeadTransferee = 0;
        Tracker.ResetVotes();
        ulong next = Log.LastIndex() + 1;
        foreach (ulong id in Tracker.Ids)
        {
            Tracker.Get(id).ResetForNewTerm(next);
        }

        PendingConfIndex = 0;
        _uncommittedBytes = 0;
        _transferCampaignPending = false;
        _broadcastPending = false;
        ResetReads();
    }

    public void BecomeFollower(ulong term, ulong leader)
    {
        Reset(term);
        Leader = leader;
        Role = RaftRole.Follower;
        IsLearner = Tracker.Config.IsLearner(Id);
    }

    /// <summary>Sends appends to every peer that is not paused.</summary>
    private void BroadcastAppend()
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendAppend(id, sendIfEmpty: true);
            }
        }
    }

    /// <summary>Entries in [low, high) as a slice of the outbound arena; empty when compacted.</summary>
    private bool TryCollect(ulong low, ulong high, long maxBytes, out ReadOnlyMemory<Entry> entries)
    {
        EntryBuffer arena = Arena;
        int start = arena.Count;
        bool found = Log.TrySlice(low, high, maxBytes, arena);
        entries = arena.Slice(start, arena.Count - start);
        return found;
    }

    private ReadOnlySpan<Entry> ScratchSlice(ulong low, ulong high, long maxBytes)
    {
        _scratch.Clear();
        bool found = Log.TrySlice(low, high, maxBytes, _scratch);
        Invariant.Check(found, "entries above the applied index are never compacted");
        return _scratch.Span;
    }

    internal static ReadOnlySpan<RaftMessage> AsSpan(List<RaftMessage> list) => CollectionsMarshal.AsSpan(list);
}
