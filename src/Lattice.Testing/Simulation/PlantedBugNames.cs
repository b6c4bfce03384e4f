using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>Command-line names of the bugs the simulator can plant.</summary>
internal static class PlantedBugNames
{
    private static readonly (string Name, PlantedBug Bug)[] Table =
    [
        ("commit-previous-term", PlantedBug.CommitPreviousTermEntry),
        ("vote-without-log-check", PlantedBug.VoteWithoutLogCheck),
        ("learner-votes", PlantedBug.LearnerVotes),
        ("apply-before-persist", PlantedBug.ApplyBeforePersist),
        ("accept-stale-term-append", PlantedBug.AcceptStaleTermAppend),
        ("read-without-leadership-check", PlantedBug.ReadWithoutLeadershipCheck),
    ];

    public static IEnumerable<string> All
    {
        get
        {
            foreach ((string name, _) in Table)
            {
                yield return name;
            }
        }
    }

    public static bool TryParse(string name, out PlantedBug bug)
    {
        foreach ((string known, PlantedBug value) in Table)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                bug = value;
                return true;
            }
        }

        bug = PlantedBug.None;
        return false;
    }

    public static string NameOf(PlantedBug bug)
    {
        foreach ((string name, PlantedBug value) in Table)
        {
            if (value == bug)
            {
                return name;
            }
        }

        return "none";
    }
}
