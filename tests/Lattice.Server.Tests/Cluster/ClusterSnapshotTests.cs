using System.Globalization;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// Snapshots bound the Raft log: with a small snapshot threshold the leader compacts its log while a follower is
/// down; the follower comes back, cannot be caught up from the log any more, receives the snapshot streamed by
/// Raft, installs it and reaches the same state; a full-cluster restart then recovers from snapshot plus log.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class ClusterSnapshotTests(ITestOutputHelper output)
{
    private const string SmallSnapshots = "snapshot-log-bytes 32768\nsnapshot-keep-entries 50\nwal-segment-bytes 65536\n";

    [Fact]
    public async Task A_follower_down_while_the_log_was_compacted_catches_up_by_snapshot_and_restarts_recover()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, SmallSnapshots);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int follower = leader % 3 + 1;
        Assert.Equal(0, await cluster.StopAsync(follower));

        var expected = new Dictionary<string, string>();
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            string padding = new('x', 100);
            for (int i = 0; i < 1500; i++)
            {
                expected[$"k{i}"] = $"{i}-{padding}";
                Assert.Equal("OK", (await client.CommandAsync("SET", $"k{i}", expected[$"k{i}"])).Text);
            }

            // Overwrites and deletes must come through the snapshot as well as new keys.
            for (int i = 0; i < 1500; i += 3)
            {
                Assert.Equal(1, (await client.CommandAsync("DEL", $"k{i}")).Integer);
                expected.Remove($"k{i}");
            }
        }

        Dictionary<string, string> leaderInfo = (await cluster.ReplicationInfoAsync(leader))!;
        ulong snapshotIndex = ulong.Parse(leaderInfo["raft_snapshot_index"], CultureInfo.InvariantCulture);
        output.WriteLine($"leader {leader}: {leaderInfo["raft_snapshots_taken"]} snapshots, latest at index {snapshotIndex}, commit {leaderInfo["raft_commit_index"]}");
        Assert.True(snapshotIndex > 1000, $"the leader should have compacted its log well past where follower {follower} stopped; snapshot index {snapshotIndex}");

        await cluster.StartNodeAsync(follower);
        await cluster.WaitForAppliedAsync(follower, ulong.Parse(leaderInfo["raft_commit_index"], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
        Dictionary<string, string> followerInfo = (await cluster.ReplicationInfoAsync(follower))!;
        Assert.True(
            long.Parse(followerInfo["raft_snapshots_installed"], CultureInfo.InvariantCulture) >= 1,
            $"follower {follower} caught up without installing a snapshot\n{cluster.Outputs()}");
        await AssertSameDataAsync(cluster, follower, expected);

        for (int id = 1; id <= 3; id++)
        {
            Assert.Equal(0, await cluster.StopAsync(id));
        }

        await Task.WhenAll(Enumerable.Range(1, 3).Select(cluster.StartNodeAsync));
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        for (int id = 1; id <= 3; id++)
        {
            await AssertSameDataAsync(cluster, id, expected);
        }
    }

    private static async Task AssertSameDataAsync(TestCluster cluster, int id, Dictionary<string, string> expected)
    {
        using RespClient client = await cluster.Node(id).ConnectAsync();
        client.ReplyTimeout = TimeSpan.FromSeconds(30);
        Assert.Equal(expected.Count, (await client.CommandAsync("DBSIZE")).Integer);
        foreach ((string key, string value) in expected)
        {
            RespReply reply = await client.CommandAsync("GET", key);
            Assert.True(reply.Text == value, $"node {id}: GET {key} = {reply}\n{cluster.Outputs()}");
        }
    }
}
