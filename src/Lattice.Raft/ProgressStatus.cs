using Lattice.Raft.Tracker;

namespace Lattice.Raft;

/// <summary>
/// A copy of the leader's view of one peer, for hosts deciding e.g. when a learner has caught up; liveness is
/// <see cref="Progress.HeardRecently"/>.
/// </summary>
public readonly record struct ProgressStatus(ulong Match, ulong Next, ProgressState State, bool IsLearner, bool HeardRecently);
