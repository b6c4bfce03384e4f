using System.Diagnostics;
using Lattice.Server.Cluster;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// Membership changes of a real 3-node cluster under a write load: a fourth node joins (learner, catch-up,
/// promotion), then the leader is removed (leadership moves first). No acknowledged write is lost, and every
/// remaining member, the new one included, holds the same data.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class ClusterMembershipTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_joins_and_the_leader_is_removed_under_write_load_without_losing_writes()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, spares: 1);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var history = new WriteHistory();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var writers = new List<ClusterWriter>();
        for (int i = 0; i < 6; i++)
        {
            writers.Add(new ClusterWriter(i, cluster.Port(i % 3 + 1), history, clock));
        }

        Task[] running = [.. writers.Select(w => Task.Run(() => w.RunAsync(stop.Token)))];
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Join: the new node asks node 1 to add it; it becomes a voter of both groups once caught up.
        await cluster.StartJoiningNodeAsync(4, seed: 1);
        await WaitUntilAsync(async () => (await cluster.ReplicationInfoAsync(1))?.GetValueOrDefault("raft_voters") == "1,2,3,4",
            TimeSpan.FromSeconds(60), "node 4 to become a voter", cluster);
        int ackedAfterJoin = history.AcknowledgedCount;

        // Remove the leader through another node: leadership moves first, then it leaves both groups.
        int other = leader % 3 + 1;
        string reply = await AdminClient.CommandAsync($"127.0.0.1:{cluster.Port(other)}", ["LATTICE", "REMOVE-NODE", $"{leader}"], TimeSpan.FromMinutes(2));
        Assert.Equal("OK", reply);
        int[] remaining = [.. Enumerable.Range(1, 4).Where(id => id != leader)];
        int newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), remaining);
        Dictionary<string, string> info = (await cluster.ReplicationInfoAsync(newLeader))!;
        Assert.DoesNotContain(leader.ToString(System.Globalization.CultureInfo.InvariantCulture), info["raft_voters"].Split(','));
        Assert.DoesNotContain($"{leader}=", info["raft_members"], StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(running);

        output.WriteLine($"{ackedAfterJoin} writes acknowledged when node 4 became a voter; leader {leader} removed, node {newLeader} leads; " +
            $"{history.AcknowledgedCount} of {history.AttemptedCount} writes acknowledged; error replies {writers.Sum(w => w.Errors)}");
        Assert.All(writers, w => Assert.Null(w.Anomaly));
        Assert.True(history.AcknowledgedCount > ackedAfterJoin, "writes went on after the join");
        await AssertNoWriteLostAsync(cluster, history, remaining);
    }

    [Fact]
    public async Task Removing_the_leader_moves_leadership_to_a_live_voter_even_when_the_first_listed_one_is_down()
    {
        // Five voters, node 5 leads, node 1 (first in every list) is down: the leader must pick a node it hears from.
        await using TestCluster cluster = await TestCluster.StartAsync(5);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        if (leader != 5)
        {
            Assert.Equal("OK", await AdminClient.CommandAsync($"127.0.0.1:{cluster.Port(leader)}", ["LATTICE", "TRANSFER-LEADER", "5"], TimeSpan.FromSeconds(60)));
            Assert.Equal(5, await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), 5));
        }

        cluster.Kill(1);
        var clock = Stopwatch.StartNew();
        string reply = await AdminClient.CommandAsync($"127.0.0.1:{cluster.Port(2)}", ["LATTICE", "REMOVE-NODE", "5"], TimeSpan.FromMinutes(2));
        output.WriteLine($"REMOVE-NODE of the leader with node 1 down: {reply} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(reply == "OK", $"{reply}\n{cluster.Outputs()}");
        int newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), 2, 3, 4);
        Assert.Equal("1,2,3,4", (await cluster.ReplicationInfoAsync(newLeader))!["raft_voters"]);
    }

    /// <summary>
    /// The plain <c>lattice server</c> is a cluster of one on the Raft path: two nodes join it under a write load
    /// (caught up by a snapshot, since it kept few entries in memory), its appendfsync everysec gives way to an fsync
    /// per write once it has company, and after its kill -9 the other two elect a leader and hold every
    /// acknowledged write.
    /// </summary>
    [Fact]
    public async Task A_single_node_grows_into_a_three_node_cluster_under_write_load_and_survives_losing_it()
    {
        // Alone, the node keeps about 2 x 50 applied entries in memory, so the newcomers need a snapshot taken for them.
        await using TestCluster cluster = await TestCluster.StartAsync(0, config: "snapshot-keep-entries 50\n", spares: 3);
        await cluster.StartSingleNodeAsync(1, appendFsync: "everysec");
        Dictionary<string, string> alone = (await cluster.InfoAsync(1, "persistence"))!;
        Assert.Equal("everysec", alone["appendfsync"]);
        Assert.Equal("standalone", (await cluster.InfoAsync(1, "server"))?["redis_mode"]);
        var history = new WriteHistory();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var writers = new List<ClusterWriter>();
        for (int i = 0; i < 4; i++)
        {
            writers.Add(new ClusterWriter(i, cluster.Port(1), history, clock));
        }

        Task[] running = [.. writers.Select(w => Task.Run(() => w.RunAsync(stop.Token)))];
        await Task.Delay(TimeSpan.FromSeconds(1));
        int ackedAlone = history.AcknowledgedCount;
        await cluster.StartJoiningNodeAsync(2, seed: 1);
        await cluster.StartJoiningNodeAsync(3, seed: 1);
        await WaitUntilAsync(async () => (await cluster.ReplicationInfoAsync(1))?.GetValueOrDefault("raft_voters") == "1,2,3",
            TimeSpan.FromSeconds(60), "nodes 2 and 3 to become voters", cluster);
        Assert.Equal("always", (await cluster.InfoAsync(1, "persistence"))?["appendfsync"]);
        Assert.Equal("cluster", (await cluster.InfoAsync(1, "server"))?["redis_mode"]);
        Assert.Contains("installing the leader's snapshot", cluster.Node(2).Output, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(running);
        Assert.All(writers, w => Assert.Null(w.Anomaly));
        Assert.True(ackedAlone > 0 && history.AcknowledgedCount > ackedAlone, $"writes before ({ackedAlone}) and after the join ({history.AcknowledgedCount})");

        cluster.Kill(1);
        int leader;
        try
        {
            leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), 2, 3);
        }
        catch (TimeoutException e)
        {
            var views = new System.Text.StringBuilder();
            foreach (int id in new[] { 2, 3 })
            {
                Dictionary<string, string>? info = await cluster.ReplicationInfoAsync(id);
                views.Append(System.Globalization.CultureInfo.InvariantCulture, $"node {id}: ");
                foreach (string key in new[] { "raft_role", "raft_term", "raft_leader_id", "raft_commit_index", "raft_applied_index", "raft_last_index", "raft_snapshot_index", "raft_voters", "raft_learners", "raft_metadata_leader_id", "raft_members" })
                {
                    views.Append(key).Append('=').Append(info?.GetValueOrDefault(key)).Append(' ');
                }

                views.Append('\n');
            }

            throw new TimeoutException($"{e.Message}\n{views}", e);
        }

        output.WriteLine($"{ackedAlone} writes acknowledged by the node alone, {history.AcknowledgedCount} of {history.AttemptedCount} in all; " +
            $"node {leader} leads after node 1 was killed");
        await AssertNoWriteLostAsync(cluster, history, [2, 3]);
    }

    /// <summary>
    /// etcd's strict reconfiguration check: with one of three nodes down, removing a live one would leave a
    /// configuration of two whose majority needs the down node, so it is refused, asked through the leader or
    /// through the other follower; removing the down node goes ahead.
    /// </summary>
    [Fact]
    public async Task Removing_a_voter_is_refused_when_the_remaining_voters_would_have_no_reachable_majority()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int down = leader % 3 + 1;
        int live = down % 3 + 1;
        await WaitUntilAsync(async () => (await cluster.ReplicationInfoAsync(leader))?.Values.Count(v => v.Contains("state=online", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(30), "the leader to hear from both followers", cluster);
        cluster.Kill(down);
        // The leader counts a peer as reachable if it heard from it within the last one to two election timeouts
        // (1 s each here): let those pass, so what it reports next is the dead node's silence.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        string downPort = $"port={cluster.Port(down)},state=down";
        await WaitUntilAsync(async () => (await cluster.ReplicationInfoAsync(leader))?.Values.Any(v => v.Contains(downPort, StringComparison.Ordinal)) == true,
            TimeSpan.FromSeconds(30), $"the leader to see node {down} down", cluster);

        foreach (int via in new[] { leader, live })
        {
            string refusal;
            try
            {
                refusal = "accepted: " + await AdminClient.CommandAsync($"127.0.0.1:{cluster.Port(via)}", ["LATTICE", "REMOVE-NODE", $"{live}"], TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is AdminCommandException or IOException)
            {
                refusal = e.Message;
            }

            Assert.True(refusal.Contains("refused", StringComparison.Ordinal) && refusal.Contains("1 of 2 remaining voters reachable", StringComparison.Ordinal),
                $"removing node {live} via node {via} with node {down} down: {refusal}\n{cluster.Outputs()}");
        }

        Assert.Equal("1,2,3", (await cluster.ReplicationInfoAsync(leader))?["raft_voters"]);
        string removed;
        try
        {
            removed = await AdminClient.CommandAsync($"127.0.0.1:{cluster.Port(live)}", ["LATTICE", "REMOVE-NODE", $"{down}"], TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is AdminCommandException or IOException)
        {
            removed = $"{e.Message}\n{cluster.Outputs()}";
        }

        Assert.Equal("OK", removed);
        await WaitUntilAsync(async () => (await cluster.ReplicationInfoAsync(leader))?.GetValueOrDefault("raft_voters")?.Split(',').Length == 2,
            TimeSpan.FromSeconds(30), $"node {down} to leave", cluster);
    }

    /// <summary>Every node named holds every acknowledged write and nothing never written.</summary>
    private static async Task AssertNoWriteLostAsync(TestCluster cluster, WriteHistory history, IEnumerable<int> nodes)
    {
        foreach (int id in nodes)
        {
            StoreObservation observed = await ClusterWriter.ReadBackAsync(cluster.Port(id), history);
            IReadOnlyList<DurabilityViolation> violations = DurabilityChecker.Check(history, observed);
            Assert.True(violations.Count == 0, $"node {id}: {violations.Count} violations:\n{string.Join('\n', violations.Take(30))}\n{cluster.Outputs()}");
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TestCluster cluster)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out waiting for {what}\n{cluster.Outputs()}");
            }

            await Task.Delay(200);
        }
    }
}
