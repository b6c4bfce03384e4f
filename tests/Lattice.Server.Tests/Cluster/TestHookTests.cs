using System.Globalization;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// --test-hooks: LATTICE TEST CLOCK-OFFSET skews one node's wall clock (TIME, TTLs read there) and --clock-offset-ms
/// starts it skewed; ISOLATE cuts a node's peer links (an isolated follower cannot serve strong reads, an isolated
/// leader cannot commit and loses leadership) and HEAL restores them; without the flag every TEST is refused.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class TestHookTests(ITestOutputHelper output)
{
    private const long HourMs = 3_600_000;

    [Fact]
    public async Task Clock_offset_moves_the_wall_clock_of_that_node_only_and_bad_arguments_are_refused()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, arguments: ["--test-hooks"]);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int follower = leader % 3 + 1;
        using RespClient atLeader = await cluster.Node(leader).ConnectAsync();
        using RespClient atFollower = await cluster.Node(follower).ConnectAsync();
        Assert.Equal("OK", (await atLeader.CommandAsync("SET", "k", "v", "EX", 7200)).Text);
        long before = await TimeSecondsAsync(atLeader);
        AssertNear(7200, (await atLeader.CommandAsync("TTL", "k")).Integer, "TTL on the leader before the offset");

        await TestHookCommands.RunAsync(cluster, leader, "CLOCK-OFFSET", HourMs);
        AssertNear(before + 3600, await TimeSecondsAsync(atLeader), "TIME on the leader an hour ahead");
        AssertNear(before, await TimeSecondsAsync(atFollower), "TIME on a follower");
        // Reads judge expiry by the clock of the node serving them.
        AssertNear(3600, (await atLeader.CommandAsync("TTL", "k")).Integer, "TTL on the leader an hour ahead");
        AssertNear(7200, (await atFollower.CommandAsync("TTL", "k")).Integer, "TTL on a follower");
        Assert.Equal(HourMs.ToString(CultureInfo.InvariantCulture), (await cluster.InfoAsync(leader, "server"))?["test_clock_offset_ms"]);

        await TestHookCommands.RunAsync(cluster, leader, "CLOCK-OFFSET", -HourMs);
        AssertNear(before - 3600, await TimeSecondsAsync(atLeader), "TIME on the leader an hour behind");
        await TestHookCommands.RunAsync(cluster, leader, "CLOCK-OFFSET", 0);
        AssertNear(before, await TimeSecondsAsync(atLeader), "TIME on the leader with no offset");

        (object[] Command, string Error)[] refused =
        [
            (["CLOCK-OFFSET", "soon"], "ERR the clock offset must be a whole number of milliseconds from -86400000 to 86400000"),
            (["CLOCK-OFFSET", "86400001"], "ERR the clock offset must be a whole number of milliseconds from -86400000 to 86400000"),
            (["CLOCK-OFFSET"], "ERR unknown subcommand or wrong number of arguments for 'LATTICE TEST CLOCK-OFFSET'"),
            (["ISOLATE"], "ERR unknown subcommand or wrong number of arguments for 'LATTICE TEST ISOLATE'"),
            (["ISOLATE", "0"], "ERR the node id must be a number of 1 or more, not '0'"),
            (["ISOLATE", follower.ToString(CultureInfo.InvariantCulture), "x"], "ERR the node id must be a number of 1 or more, not 'x'"),
            (["ISOLATE", leader.ToString(CultureInfo.InvariantCulture)], $"ERR node {leader} is this node"),
            (["FREEZE"], "ERR unknown subcommand or wrong number of arguments for 'LATTICE TEST FREEZE'"),
            ([], "ERR LATTICE TEST needs a subcommand"),
        ];
        foreach ((object[] command, string error) in refused)
        {
            RespReply reply = await atLeader.CommandAsync(["LATTICE", "TEST", .. command]);
            Assert.True(reply.IsError && reply.Text.StartsWith(error, StringComparison.Ordinal), $"LATTICE TEST {string.Join(' ', command)}: {reply}");
        }

        // A refused ISOLATE changed nothing.
        Assert.Equal("", (await cluster.InfoAsync(leader, "server"))?["test_isolated_from"]);
    }

    [Fact]
    public async Task A_node_started_with_a_clock_offset_runs_skewed_from_the_start()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(1, arguments: ["--test-hooks", "--clock-offset-ms", "-86400000"]);
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using RespClient client = await cluster.Node(1).ConnectAsync();
        AssertNear(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400, await TimeSecondsAsync(client), "TIME on a node started a day behind");
        Dictionary<string, string>? server = await cluster.InfoAsync(1, "server");
        Assert.Equal("1", server?["test_hooks"]);
        Assert.Equal("-86400000", server?["test_clock_offset_ms"]);
        Assert.Contains("WARNING: test hooks enabled", cluster.Node(1).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Isolate_cuts_a_node_off_from_the_cluster_and_heal_brings_it_back()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, arguments: ["--test-hooks"]);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int follower = leader % 3 + 1;
        int other = 6 - leader - follower;
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            Assert.Equal("OK", (await client.CommandAsync("SET", "x", "1")).Text);
        }

        // The write was acknowledged once a majority had it, maybe without this follower: let it apply the write
        // (a strong read on it waits for that) before cutting it off, so its stale read below has the value.
        await AssertStrongReadAsync(cluster, follower, "x", "1");

        // An isolated follower is alive (READONLY reads answer) but cannot confirm a strong read.
        await TestHookCommands.IsolateAsync(cluster, follower, leader, other);
        Assert.Equal($"{leader},{other}", (await cluster.InfoAsync(follower, "server"))?["test_isolated_from"]);
        using (RespClient client = await cluster.Node(follower).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            RespReply strong = await client.CommandAsync("GET", "x");
            output.WriteLine($"the isolated follower answered a strong read with {strong}");
            Assert.True(strong.IsError, $"an isolated follower served a strong read: {strong}");
            Assert.Equal("OK", (await client.CommandAsync("READONLY")).Text);
            Assert.Equal("1", (await client.CommandAsync("GET", "x")).Text);
        }

        // The other two still form a majority.
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            Assert.Equal("OK", (await client.CommandAsync("SET", "x", "2")).Text);
        }

        await TestHookCommands.HealAllAsync(cluster);
        Assert.Equal("", (await cluster.InfoAsync(follower, "server"))?["test_isolated_from"]);
        await AssertStrongReadAsync(cluster, follower, "x", "2");

        // An isolated leader cannot commit, steps down, and the others elect a leader without it.
        leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int[] rest = [.. Enumerable.Range(1, 3).Where(id => id != leader)];
        await TestHookCommands.IsolateAsync(cluster, leader, rest);
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            RespReply write = await client.CommandAsync("SET", "x", "3");
            output.WriteLine($"the isolated leader answered a write with {write}");
            Assert.True(write.IsError, $"an isolated leader acknowledged a write: {write}");
        }

        int next = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), rest);
        Assert.NotEqual(leader, next);
        Dictionary<string, string>? role = await cluster.ReplicationInfoAsync(leader);
        Assert.NotEqual("leader", role?["raft_role"]);

        await TestHookCommands.HealAllAsync(cluster);
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            Assert.Equal("OK", (await client.CommandAsync("SET", "y", "4")).Text);
        }

        await AssertStrongReadAsync(cluster, leader, "y", "4");
        await AssertStrongReadAsync(cluster, next, "y", "4");
    }

    [Fact]
    public async Task Test_commands_are_refused_without_the_hooks_and_the_hooks_need_a_cluster_node()
    {
        await using (TestCluster cluster = await TestCluster.StartAsync(1))
        {
            await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
            using RespClient client = await cluster.Node(1).ConnectAsync();
            object[][] commands = [["HEAL"], ["ISOLATE", "2"], ["CLOCK-OFFSET", "1000"], ["NOSUCH"], []];
            foreach (object[] command in commands)
            {
                RespReply reply = await client.CommandAsync(["LATTICE", "TEST", .. command]);
                Assert.True(reply.IsError && reply.Text == "ERR test hooks are disabled (start the node with --test-hooks)", $"LATTICE TEST {string.Join(' ', command)}: {reply}");
            }

            Dictionary<string, string>? server = await cluster.InfoAsync(1, "server");
            Assert.Equal("0", server?["test_hooks"]);
            Assert.Equal("none", server?["unsafe_mode"]);
            Assert.False(server!.ContainsKey("test_clock_offset_ms"));
        }

        (string[] Arguments, string Error)[] cases =
        [
            (["--clock-offset-ms", "1000"], "--clock-offset-ms needs --test-hooks"),
            (["--clock-offset-ms", "later"], "--clock-offset-ms must be a whole number of milliseconds"),
        ];
        await TestHookCommands.AssertRefusedAtStartAsync(cases);
    }

    private static async Task<long> TimeSecondsAsync(RespClient client)
    {
        RespReply time = await client.CommandAsync("TIME");
        return long.Parse(time.Items[0].Text, CultureInfo.InvariantCulture);
    }

    /// <summary>Within a minute: the test's own steps and a loaded machine take seconds, the offsets are hours.</summary>
    private static void AssertNear(long expected, long actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 60, $"{what}: {actual}, expected about {expected}");

    /// <summary>A strong read answers <paramref name="value"/>; retried while the node finds its leader again.</summary>
    private static async Task AssertStrongReadAsync(TestCluster cluster, int id, string key, string value)
    {
        using RespClient client = await cluster.Node(id).ConnectAsync();
        client.ReplyTimeout = TimeSpan.FromSeconds(30);
        RespReply reply = await client.CommandAsync("GET", key);
        for (int attempt = 0; attempt < 60 && reply.IsError; attempt++)
        {
            await Task.Delay(500);
            reply = await client.CommandAsync("GET", key);
        }

        Assert.True(!reply.IsError && reply.Text == value, $"node {id}: GET {key} = {reply}, expected {value}\n{cluster.Outputs()}");
    }
}
