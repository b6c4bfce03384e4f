using System.Globalization;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// A 3-node cluster of real processes serves Redis clients on every node: writes on followers are forwarded to the
/// leader and answered by the node the client talks to, strong reads on any node see every acknowledged write,
/// transactions apply atomically, and INFO replication reports roles in Redis's format.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class ClusterBasicsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Writes_and_strong_reads_work_on_every_node_and_transactions_apply_once_everywhere()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"leader: node {leader}");

        // A write on each node, then a strong read of every write on every node.
        for (int id = 1; id <= 3; id++)
        {
            using RespClient client = await cluster.Node(id).ConnectAsync();
            Assert.Equal("OK", (await client.CommandAsync("SET", $"key{id}", $"from-node-{id}")).Text);
            Assert.Equal(id, (await client.CommandAsync("INCR", "counter")).Integer);
        }

        for (int id = 1; id <= 3; id++)
        {
            using RespClient client = await cluster.Node(id).ConnectAsync();
            for (int written = 1; written <= 3; written++)
            {
                Assert.Equal($"from-node-{written}", (await client.CommandAsync("GET", $"key{written}")).Text);
            }

            Assert.Equal("3", (await client.CommandAsync("GET", "counter")).Text);
        }

        // Pipelined writes and reads on a follower keep the requests' order and read their own writes.
        int follower = leader % 3 + 1;
        using (RespClient client = await cluster.Node(follower).ConnectAsync())
        {
            var pipeline = new List<byte>();
            for (int i = 0; i < 100; i++)
            {
                pipeline.AddRange(RespClient.Encode("RPUSH", "list", i));
                pipeline.AddRange(RespClient.Encode("LLEN", "list"));
            }

            await client.SendRawAsync(pipeline.ToArray());
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(i + 1, (await client.ReadReplyAsync()).Integer);
                Assert.Equal(i + 1, (await client.ReadReplyAsync()).Integer);
            }

            // MULTI/EXEC on a follower: one log entry, applied atomically.
            Assert.Equal("OK", (await client.CommandAsync("MULTI")).Text);
            Assert.Equal("QUEUED", (await client.CommandAsync("INCRBY", "tx", 5)).Text);
            Assert.Equal("QUEUED", (await client.CommandAsync("LPUSH", "txlist", "a")).Text);
            RespReply exec = await client.CommandAsync("EXEC");
            Assert.Equal([5L, 1L], exec.Items.Select(i => i.Integer));

            // WATCH conflict: another node changes the key; EXEC aborts.
            Assert.Equal("OK", (await client.CommandAsync("WATCH", "tx")).Text);
            using (RespClient other = await cluster.Node(leader).ConnectAsync())
            {
                Assert.Equal(6, (await other.CommandAsync("INCR", "tx")).Integer);
            }

            Assert.Equal("OK", (await client.CommandAsync("MULTI")).Text);
            Assert.Equal("QUEUED", (await client.CommandAsync("SET", "tx", "overwritten")).Text);
            Assert.True((await client.CommandAsync("EXEC")).IsNull, "EXEC must abort after a watched key changed");
            Assert.Equal("6", (await client.CommandAsync("GET", "tx")).Text);

            // Errors come back as on Redis.
            RespReply wrongType = await client.CommandAsync("INCR", "list");
            Assert.StartsWith("WRONGTYPE", wrongType.Text, StringComparison.Ordinal);
        }

        // A protocol error after pipelined writes is answered after their replies, then the connection closes.
        using (RespClient client = await cluster.Node(follower).ConnectAsync())
        {
            byte[] writes = [.. RespClient.Encode("SET", "p1", "1"), .. RespClient.Encode("SET", "p2", "2")];
            byte[] bad = [.. writes, .. "*1\r\n$abc\r\n"u8.ToArray()];
            await client.SendRawAsync(bad);
            Assert.Equal("OK", (await client.ReadReplyAsync()).Text);
            Assert.Equal("OK", (await client.ReadReplyAsync()).Text);
            RespReply error = await client.ReadReplyAsync();
            Assert.StartsWith("ERR Protocol error", error.Text, StringComparison.Ordinal);
            Assert.True(await client.WaitForServerCloseAsync(TimeSpan.FromSeconds(10)));
        }

        // Every node applied the same entries: same answers with stale reads allowed, once caught up.
        Dictionary<string, string> leaderInfo = (await cluster.ReplicationInfoAsync(leader))!;
        ulong commit = ulong.Parse(leaderInfo["raft_commit_index"], CultureInfo.InvariantCulture);
        for (int id = 1; id <= 3; id++)
        {
            await cluster.WaitForAppliedAsync(id, commit, TimeSpan.FromSeconds(20));
            using RespClient client = await cluster.Node(id).ConnectAsync();
            Assert.Equal("OK", (await client.CommandAsync("READONLY")).Text);
            Assert.Equal("6", (await client.CommandAsync("GET", "tx")).Text);
            Assert.Equal(100, (await client.CommandAsync("LLEN", "list")).Integer);
            Assert.Equal(["a"], (await client.CommandAsync("LRANGE", "txlist", 0, -1)).Items.Select(i => i.Text));
            Assert.Equal(9, (await client.CommandAsync("DBSIZE")).Integer);
        }

        // INFO replication in Redis's format: one master with two replicas online; replicas name their master.
        Assert.Equal("master", leaderInfo["role"]);
        Assert.Equal("2", leaderInfo["connected_slaves"]);
        Dictionary<string, string> followerInfo = (await cluster.ReplicationInfoAsync(follower))!;
        Assert.Equal("slave", followerInfo["role"]);
        Assert.Equal(cluster.Port(leader).ToString(CultureInfo.InvariantCulture), followerInfo["master_port"]);
        Assert.Equal("up", followerInfo["master_link_status"]);

        for (int id = 1; id <= 3; id++)
        {
            Assert.Equal(0, await cluster.StopAsync(id));
        }
    }

    [Fact]
    public async Task Expired_keys_are_deleted_on_every_replica_by_the_leaders_logged_deletes()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int follower = leader % 3 + 1;
        using (RespClient client = await cluster.Node(follower).ConnectAsync())
        {
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal("OK", (await client.CommandAsync("SET", $"short{i}", "v", "PX", 300)).Text);
            }

            Assert.Equal("OK", (await client.CommandAsync("SET", "long", "v", "EX", 1000)).Text);
            Assert.Equal("OK", (await client.CommandAsync("SET", "forever", "v")).Text);
        }

        // Nobody reads the short keys: only active expiry (the leader's logged deletes) can remove them everywhere.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int id = 1; id <= 3; id++)
        {
            using RespClient client = await cluster.Node(id).ConnectAsync();
            Assert.Equal("OK", (await client.CommandAsync("READONLY")).Text);
            long size;
            while ((size = (await client.CommandAsync("DBSIZE")).Integer) != 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }

            Assert.True(size == 2, $"node {id} still holds {size} keys\n{cluster.Outputs()}");
        }

        Dictionary<string, string> stats = (await cluster.InfoAsync(leader, "stats"))!;
        output.WriteLine($"expired keys deleted everywhere after {clock.ElapsedMilliseconds} ms; leader expired_keys:{stats["expired_keys"]}");
        Assert.True(long.Parse(stats["expired_keys"], CultureInfo.InvariantCulture) >= 50);
    }
}
