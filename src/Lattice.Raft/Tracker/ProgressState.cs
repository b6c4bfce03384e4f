namespace Lattice.Raft.Tracker;

/// <summary>How the leader replicates to one follower.</summary>
public enum ProgressState : byte
{
    /// <summary>Unknown match: send one append per heartbeat round and back off on rejection.</summary>
    Probe = 0,

    /// <summary>Known match: stream appends optimistically, bounded by the in-flight window.</summary>
    Replicate = 1,

    /// <summary>The follower needs a snapshot; appends wait until it is installed.</summary>
    Snapshot = 2,
}
