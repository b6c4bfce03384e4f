using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>One group's state on this node; <see cref="Progress"/> is filled only on the leader.</summary>
public sealed record GroupStatus(
    ulong GroupId,
    RaftRole Role,
    ulong Term,
    ulong Leader,
    ulong CommitIndex,
    ulong AppliedIndex,
    ulong LastIndex,
    ulong SnapshotIndex,
    ConfState Conf,
    IReadOnlyList<MemberProgress> Progress);
