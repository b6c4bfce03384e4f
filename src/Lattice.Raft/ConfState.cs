namespace Lattice.Raft;

/// <summary>
/// A membership configuration as the application stores it in snapshots. Outgoing voters are non-empty only
/// while the group is in a joint configuration; LearnersNext are voters being demoted when the joint config ends.
/// </summary>
public sealed record ConfState(
    ulong[] Voters,
    ulong[] VotersOutgoing,
    ulong[] Learners,
    ulong[] LearnersNext,
    bool AutoLeave)
{
    public static ConfState Empty { get; } = new([], [], [], [], false);

    public static ConfState FromVoters(params ulong[] voters) => new(voters, [], [], [], false);

    public bool IsJoint => VotersOutgoing.Length > 0;

    public bool IsVoter(ulong id) => Array.IndexOf(Voters, id) >= 0 || Array.IndexOf(VotersOutgoing, id) >= 0;

    /// <summary>Learners only; a node in LearnersNext still votes in the outgoing config until the joint config ends.</summary>
    public bool IsLearner(ulong id) => Array.IndexOf(Learners, id) >= 0;

    public bool IsMember(ulong id) => IsVoter(id) || IsLearner(id) || Array.IndexOf(LearnersNext, id) >= 0;

    public override string ToString() =>
        $"voters=({string.Join(' ', Voters)})" + (IsJoint ? $"&&({string.Join(' ', VotersOutgoing)})" : "") +
        (Learners.Length > 0 ? $" learners=({string.Join(' ', Learners)})" : "") +
        (LearnersNext.Length > 0 ? $" learners_next=({string.Join(' ', LearnersNext)})" : "") +
        (AutoLeave ? " autoleave" : "");
}
