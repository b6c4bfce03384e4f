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
}
