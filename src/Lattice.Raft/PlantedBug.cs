namespace Lattice.Raft;

/// <summary>
/// Known bugs the simulator can plant to prove its checks find them. Internal: only the test assemblies can
/// set <see cref="RaftOptions.PlantedBugForTestingOnly"/>, so production code cannot turn one on by accident.
/// </summary>
internal enum PlantedBug
{
    None = 0,

    /// <summary>The leader commits by counting replicas of an entry from an earlier term (Raft §5.4.2).</summary>
    CommitPreviousTermEntry,

    /// <summary>Votes are granted without checking that the candidate's log is at least as up-to-date (§5.4.1).</summary>
    VoteWithoutLogCheck,

    /// <summary>Learners grant votes and candidates count them.</summary>
    LearnerVotes,

    /// <summary>Entries are acknowledged, committed and applied before the local disk has persisted them.</summary>
    ApplyBeforePersist,

    /// <summary>A follower accepts entries from a leader of an older term (§5.1).</summary>
    AcceptStaleTermAppend,

    /// <summary>The leader answers ReadIndex at once, without proving it is still leader (thesis §6.4).</summary>
    ReadWithoutLeadershipCheck,
}
