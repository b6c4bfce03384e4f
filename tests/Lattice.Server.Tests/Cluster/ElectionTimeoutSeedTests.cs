using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// Nodes must draw different randomized election timeouts: two survivors that lose their leader at the same moment
/// and draw the same timeouts campaign in lockstep, vote for themselves and split every vote (seen as two nodes
/// staying candidates for 30 s after their leader was killed).
/// </summary>
public sealed class ElectionTimeoutSeedTests
{
    [Fact]
    public void Two_nodes_of_the_same_incarnation_and_group_draw_different_election_timeouts()
    {
        const uint Incarnation = 1;
        const ulong Group = 2;
        int[] node2 = ElectionIntervals(2, ClusterNode.RaftRandomSeed(2, Incarnation, Group));
        int[] node3 = ElectionIntervals(3, ClusterNode.RaftRandomSeed(3, Incarnation, Group));
        Assert.NotEqual(node2, node3);
    }

    [Fact]
    public void The_check_sees_lockstep_timeouts_when_the_core_cancels_the_seed()
    {
        // The seed formula that cancelled against the core's own mixing of the node id: both nodes tick in lockstep.
        static ulong Cancelling(ulong node) => (node * 0x9E3779B97F4A7C15UL) ^ (1UL << 20) ^ 2;
        Assert.Equal(ElectionIntervals(2, Cancelling(2)), ElectionIntervals(3, Cancelling(3)));
    }

    /// <summary>Ticks between successive campaigns of a node that hears from nobody (each campaign draws anew).</summary>
    private static int[] ElectionIntervals(ulong nodeId, ulong seed)
    {
        var conf = new ConfState([1, 2, 3], [], [], [], false);
        var node = new RawNode(new RaftOptions { NodeId = nodeId, GroupId = 2, ElectionTimeoutTicks = 10, HeartbeatTimeoutTicks = 1, RandomSeed = seed, PreVote = false },
            new MemoryRaftStorage(conf));
        var intervals = new int[8];
        ulong term = node.Term;
        for (int i = 0; i < intervals.Length; i++)
        {
            int ticks = 0;
            while (node.Term == term)
            {
                node.Tick();
                ticks++;
                Assert.True(ticks <= 100, "a node with no leader campaigns within twice its election timeout");
            }

            term = node.Term;
            intervals[i] = ticks;
        }

        return intervals;
    }
}
