namespace Lattice.Raft;

/// <summary>How the leader proves it is still leader before serving a read.</summary>
public enum ReadOnlyMode : byte
{
    /// <summary>A heartbeat round acknowledged by a quorum (ReadIndex). Safe without clock assumptions.</summary>
    Safe = 0,

    /// <summary>
    /// Serve from the leader's lease: valid only while clocks drift less than
    /// <see cref="RaftOptions.MaxClockDriftTicks"/> per election timeout. Requires CheckQuorum.
    /// </summary>
    LeaseBased = 1,
}
