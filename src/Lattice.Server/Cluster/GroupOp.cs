namespace Lattice.Server.Cluster;

/// <summary>
/// An administration step addressed to a group's leader (propose a metadata entry or a membership change, or
/// transfer leadership). Submitted on any node; a follower forwards its own to the leader once; the coordinator
/// that asked checks the applied result and asks again if the step was lost.
/// </summary>
internal sealed record GroupOp(ulong GroupId, byte Op, ulong Argument, byte[] Payload, bool Local)
{
    public const byte ProposeEntry = 1;
    public const byte ProposeConfChange = 2;
    public const byte TransferLeader = 3;

    /// <summary>
    /// Argument: none. Payload: the leaving node's id (8 bytes, little-endian). If that node still leads, it hands
    /// leadership to the voter it has heard from recently with the most of the log: only the leader knows who is
    /// alive and caught up, so it chooses, not the coordinator.
    /// </summary>
    public const byte MoveLeadershipAway = 4;
}
