using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// Every limit and knob of one Raft group, validated in one place. Tick counts are in calls to
/// <see cref="RawNode.Tick"/>; the host decides how long a tick is.
/// </summary>
public sealed record RaftOptions
{
    /// <summary>This node's id; never 0.</summary>
    public ulong NodeId { get; init; }

    /// <summary>The Raft group this node instance belongs to; every message carries it.</summary>
    public ulong GroupId { get; init; }

    public int ElectionTimeoutTicks { get; init; } = 10;

    public int HeartbeatTimeoutTicks { get; init; } = 1;

    /// <summary>Upper bound of entry bytes in one append message (at least one entry is always sent).</summary>
    public long MaxBytesPerMessage { get; init; } = 64 * 1024;

    /// <summary>Append messages in flight to one follower in the replicate state.</summary>
    public int MaxInflightMessages { get; init; } = 64;

    /// <summary>Entry bytes in flight to one follower; 0 means no byte limit beyond the message count.</summary>
    public long MaxInflightBytes { get; init; }

    /// <summary>Payload bytes the leader accepts but has not committed yet; 0 means no limit.</summary>
    public long MaxUncommittedEntriesBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Bytes of committed entries handed to the application in one Ready.</summary>
    public long MaxCommittedBytesPerReady { get; init; } = 4 * 1024 * 1024;

    /// <summary>Bytes of snapshot data in one InstallSnapshot chunk.</summary>
    public int SnapshotChunkBytes { get; init; } = 256 * 1024;

    /// <summary>ReadIndex requests queued before the leader has committed an entry in its term.</summary>
    public int MaxPendingReadRequests { get; init; } = 4096;

    /// <summary>Entries proposed in one Ready cycle before further proposals are dropped.</summary>
    public int MaxProposalsPerReady { get; init; } = 4096;

    public bool PreVote { get; init; } = true;

    public bool CheckQuorum { get; init; } = true;

    public ReadOnlyMode ReadOnlyMode { get; init; } = ReadOnlyMode.Safe;

    /// <summary>Lease reads end this many ticks before the election timeout, to cover clock drift.</summary>
    public int MaxClockDriftTicks { get; init; } = 2;

    /// <summary>Index already applied by the state machine when the node starts.</summary>
    public ulong Applied { get; init; }

    /// <summary>Seeds the randomized election timeout; use a different seed per node.</summary>
    public ulong RandomSeed { get; init; } = 1;

    internal PlantedBug PlantedBugForTestingOnly { get; init; }

    public void Validate()
    {
        Check(NodeId != 0, "NodeId must not be 0");
        Check(HeartbeatTimeoutTicks > 0, "HeartbeatTimeoutTicks must be positive");
        Check(ElectionTimeoutTicks > HeartbeatTimeoutTicks, "ElectionTimeoutTicks must exceed HeartbeatTimeoutTicks");
        Check(MaxBytesPerMessage > 0, "MaxBytesPerMessage must be positive");
        Check(MaxInflightMessages > 0 && MaxInflightMessages <= 1 << 16, "MaxInflightMessages must be in 1..65536");
        Check(MaxInflightBytes >= 0, "MaxInflightBytes must not be negative");
        Check(MaxUncommittedEntriesBytes >= 0, "MaxUncommittedEntriesBytes must not be negative");
        Check(MaxCommittedBytesPerReady > 0, "MaxCommittedBytesPerReady must be positive");
        Check(SnapshotChunkBytes > 0, "SnapshotChunkBytes must be positive");
        Check(MaxPendingReadRequests > 0, "MaxPendingReadRequests must be positive");
        Check(MaxProposalsPerReady > 0, "MaxProposalsPerReady must be positive");
        Check(MaxClockDriftTicks >= 0 && MaxClockDriftTicks < ElectionTimeoutTicks,
            "MaxClockDriftTicks must be in 0..ElectionTimeoutTicks-1");
        Check(ReadOnlyMode != ReadOnlyMode.LeaseBased || CheckQuorum, "lease reads require CheckQuorum");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    internal void ValidateInvariant()
    {
        Invariant.Check(NodeId != 0, "options must be validated before use");
    }
}
