using Lattice.Raft;
using Lattice.Testing.Simulation;

namespace Lattice.Testing.Tests.Simulation;

/// <summary>Proof the checks bite: each planted bug is found within a bounded number of seeds.</summary>
public sealed class PlantedBugTests
{
    private const long SeedBudget = 500;

    public static TheoryData<string> Bugs()
    {
        var data = new TheoryData<string>();
        foreach (string name in PlantedBugNames.All)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void The_simulator_finds_the_planted_bug_within_the_seed_budget(string name)
    {
        Assert.True(PlantedBugNames.TryParse(name, out PlantedBug bug));
        using var found = new CancellationTokenSource();
        SimulationResult? first = null;
        (long seeds, long violations) = SimulationRunner.RunMany(1, SeedBudget, 0, bug, result =>
        {
            first ??= result;
            found.Cancel();
        }, found.Token);

        Assert.True(violations > 0, $"{name} not found in {seeds} seeds");
        Assert.NotNull(first);
        // The report names the seed and shows the last events, so the failure can be replayed and read.
        string report = first.Describe();
        Assert.Contains($"seed {first.Seed}", report, StringComparison.Ordinal);
        Assert.Contains("last events:", report, StringComparison.Ordinal);

        SimulationResult replay = SimulationRunner.RunSeed(first.Seed, first.NodeCount, bug);
        Assert.Equal(first.Violation, replay.Violation);
        Assert.Equal(first.TraceHash, replay.TraceHash);
    }

    [Fact]
    public void Planted_bugs_cannot_be_set_through_the_public_options()
    {
        var property = typeof(RaftOptions).GetProperty("PlantedBugForTestingOnly",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(property);
        Assert.False(property.GetMethod!.IsPublic);
        Assert.Null(typeof(RaftOptions).GetProperty("PlantedBugForTestingOnly"));
    }
}
