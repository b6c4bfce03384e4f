using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>One simulated server: its disk survives crashes; its Raft node and state machine do not.</summary>
internal sealed class SimulatedNode
{
    public SimulatedNode(ulong id, ConfState initialConfState, int tickIntervalUnits)
    {
        Id = id;
        Disk = new SimulatedDisk(initialConfState);
        Conf = initialConfState;
        TickIntervalUnits = tickIntervalUnits;
    }

    public ulong Id { get; }

    public SimulatedDisk Disk { get; }

    public RawNode? Raft { get; set; }

    public KvStateMachine Kv { get; } = new();

    /// <summary>The membership as this node's state machine has applied it.</summary>
    public ConfState Conf { get; set; }

    public ulong AppliedIndex { get; set; }

    public int Incarnation { get; set; }

    public bool IsUp => Raft is not null;

    public int TickIntervalUnits { get; }

    public long RestartTime { get; set; }

    /// <summary>A Ready whose disk write has not synced yet; the node takes no new Ready until it has.</summary>
    public bool SyncInFlight { get; set; }

    public RaftMessage[] PendingAfterPersist { get; set; } = [];

    public Entry[] PendingCommitted { get; set; } = [];

    public Snapshot? PendingSnapshot { get; set; }

    public ReadState[] PendingReadStates { get; set; } = [];

    public ulong LeaderTermChecked { get; set; }

    /// <summary>The commit index of the node's last Ready, to see how a leader moves it.</summary>
    public ulong LastCommitIndex { get; set; }

    /// <summary>The term of the node's last Ready if it led then, else 0.</summary>
    public ulong LastReadyLeaderTerm { get; set; }
}
