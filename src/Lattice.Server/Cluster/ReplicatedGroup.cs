using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// One Raft group hosted on this node: the consensus core, the in-memory image of its durable log (what the core
/// reads back to send entries to followers), and the state machine its committed entries go to. Touched only by
/// the node's Raft thread (the core is created once the log has been recovered).
/// </summary>
internal sealed class ReplicatedGroup
{
    private RawNode? _raft;

    public ReplicatedGroup(ulong groupId, GroupLogStore log, IGroupStateMachine machine)
    {
        GroupId = groupId;
        Log = log;
        Machine = machine;
    }

    public ulong GroupId { get; }

    public RawNode Raft
    {
        get
        {
            Invariant.Check(_raft is not null, "the group's Raft core exists once its log is recovered");
            return _raft!;
        }

        set => _raft = value;
    }

    public bool HasRaft => _raft is not null;

    public GroupLogStore Log { get; }

    public IGroupStateMachine Machine { get; }

    /// <summary>
    /// --unsafe early-ack (testing only; never the metadata group): while leading, entries are applied once they are
    /// in this node's durable log instead of once committed. The state machine's applied index is then the
    /// speculative applied index: committed entries at or below it are not applied again.
    /// </summary>
    public bool EarlyAck { get; set; }

    /// <summary>The Ready taken this cycle and not yet advanced.</summary>
    public Ready? Current { get; set; }

    /// <summary>The index of the snapshot being written (0 for none): the log keeps that entry until it is recorded.</summary>
    public ulong SnapshotPin { get; set; }

    /// <summary>Membership as applied (what a snapshot would record).</summary>
    public ConfState ConfState { get; set; } = ConfState.Empty;

    /// <summary>Role, term and leader as last published in the status, to publish again only on a change.</summary>
    public (RaftRole Role, ulong Term, ulong Leader) Published { get; set; }
}
