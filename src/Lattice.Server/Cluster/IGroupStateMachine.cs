using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// What a Raft group's committed entries are applied to, in index order, one batch per Ready between
/// <see cref="BeginApply"/> and <see cref="EndApply"/>. Called only on the node's Raft thread.
/// </summary>
internal interface IGroupStateMachine
{
    ulong AppliedIndex { get; }

    void BeginApply();

    /// <summary>Applies one committed entry; membership changes arrive here too (already applied to Raft by the host).</summary>
    void Apply(in Entry entry);

    void EndApply();
}
