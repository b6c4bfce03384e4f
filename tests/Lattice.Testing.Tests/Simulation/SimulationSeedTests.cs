using Lattice.Raft;
using Lattice.Testing.Simulation;

namespace Lattice.Testing.Tests.Simulation;

/// <summary>The CI budget of whole-cluster simulation: many seeds, every check on, zero violations allowed.</summary>
public sealed class SimulationSeedTests
{
    private const long CiSeedCount = 2_000;

    [Fact]
    public void Two_thousand_seeds_of_3_5_and_7_node_clusters_have_no_violation()
    {
        var failures = new List<string>();
        (long seeds, long violations) = SimulationRunner.RunMany(
            firstSeed: 1, CiSeedCount, fixedNodeCount: 0, PlantedBug.None, result => failures.Add(result.Describe()), CancellationToken.None);

        Assert.Equal(CiSeedCount, seeds);
        Assert.True(violations == 0, string.Join("\n\n", failures));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Every_cluster_size_elects_a_leader_and_serves_clients(int nodeCount)
    {
        // Some seeds spend most of their time partitioned; over ten of them, clients certainly get served.
        int served = 0;
        for (ulong seed = 1; seed <= 10; seed++)
        {
            SimulationResult result = SimulationRunner.RunSeed(seed, nodeCount);
            Assert.True(result.Passed, result.Describe());
            Assert.True(result.Events > 1000, "the run went through both phases");
            served += result.HistoryLength;
        }

        Assert.True(served > 50, $"only {served} client operations completed");
    }

    [Fact]
    public void One_seed_gives_the_same_run_twice()
    {
        for (ulong seed = 100; seed < 106; seed++)
        {
            SimulationResult first = SimulationRunner.RunSeed(seed, 0);
            SimulationResult second = SimulationRunner.RunSeed(seed, 0);
            Assert.Equal(first.TraceHash, second.TraceHash);
            Assert.Equal(first.Trace, second.Trace);
            Assert.Equal(first.Events, second.Events);
            Assert.Equal(first.HistoryLength, second.HistoryLength);
        }

        Assert.NotEqual(SimulationRunner.RunSeed(100, 3).TraceHash, SimulationRunner.RunSeed(101, 3).TraceHash);
    }
}
