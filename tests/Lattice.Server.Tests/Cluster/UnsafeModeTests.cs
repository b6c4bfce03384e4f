using System.Globalization;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// --unsafe, the deliberate bugs the chaos harness must catch, change what a client observes: with stale-reads a node
/// cut off from the others still answers strong reads (a safe node cannot: see
/// <see cref="ClusterFailoverTests"/> and <see cref="TestHookTests"/>); with early-ack a leader cut off from its
/// followers acknowledges a write that the cluster then loses, and keeps serving with its diverged state.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class UnsafeModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stale_reads_mode_answers_strong_reads_on_a_node_cut_off_from_the_others_but_not_writes()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, arguments: ["--unsafe", "stale-reads"]);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int follower = leader % 3 + 1;
        int other = 6 - leader - follower;
        Assert.Contains("WARNING: UNSAFE MODE stale-reads: this node may serve stale reads", cluster.Node(follower).Output, StringComparison.Ordinal);
        Dictionary<string, string>? server = await cluster.InfoAsync(follower, "server");
        Assert.Equal("stale-reads", server?["unsafe_mode"]);

        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            Assert.Equal("OK", (await client.CommandAsync("SET", "k", "old")).Text);
        }

        Dictionary<string, string> info = (await cluster.ReplicationInfoAsync(leader))!;
        await cluster.WaitForAppliedAsync(follower, ulong.Parse(info["raft_commit_index"], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
        cluster.Pause(leader);
        cluster.Pause(other);
        try
        {
            using RespClient client = await cluster.Node(follower).ConnectAsync();
            client.ReplyTimeout = TimeSpan.FromSeconds(30);

            // A safe node would need the paused leader to confirm the read and answer TIMEOUT after 5 s instead.
            RespReply read = await client.CommandAsync("GET", "k");
            Assert.True(!read.IsError && read.Text == "old", $"the cut-off node answered a strong read with {read}\n{cluster.Outputs()}");
            Assert.Equal("OK", (await client.CommandAsync("READWRITE")).Text);
            RespReply again = await client.CommandAsync("GET", "k");
            Assert.True(!again.IsError && again.Text == "old", $"after READWRITE the cut-off node answered {again}");

            // Writes are unchanged: one node of three cannot commit.
            RespReply write = await client.CommandAsync("SET", "k", "new");
            output.WriteLine($"the cut-off node answered the strong read with {read} and the write with {write}");
            Assert.True(write.IsError, $"a node cut off from the others acknowledged a write: {write}");
        }
        finally
        {
            cluster.Resume(leader);
            cluster.Resume(other);
        }
    }

    [Fact]
    public async Task Early_ack_mode_acknowledges_a_write_only_the_leader_has_and_the_cluster_loses_it()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3, arguments: ["--unsafe", "early-ack", "--test-hooks"]);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int[] followers = [.. Enumerable.Range(1, 3).Where(id => id != leader)];
        Assert.Contains("WARNING: UNSAFE MODE early-ack: this node may lose acknowledged writes", cluster.Node(leader).Output, StringComparison.Ordinal);
        Assert.Equal("early-ack", (await cluster.InfoAsync(leader, "server"))?["unsafe_mode"]);

        // Normal operation works: writes on every node, strong reads of them.
        for (int id = 1; id <= 3; id++)
        {
            using RespClient client = await cluster.Node(id).ConnectAsync();
            Assert.Equal("OK", (await client.CommandAsync("SET", $"before{id}", "1")).Text);
            Assert.Equal("1", (await client.CommandAsync("GET", $"before{id}")).Text);
        }

        await TestHookCommands.IsolateAsync(cluster, leader, followers);
        RespReply write;
        using (RespClient client = await cluster.Node(leader).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            // A safe leader cannot reach a majority and answers TIMEOUT after 5 s.
            write = await client.CommandAsync("SET", "during", "1");
        }

        Assert.True(!write.IsError && write.Text == "OK", $"the isolated early-ack leader answered the write with {write}\n{cluster.Outputs()}");

        // The followers go on without it, and without the acknowledged write.
        int next = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), followers);
        using (RespClient client = await cluster.Node(next).ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            RespReply lost = await client.CommandAsync("GET", "during");
            Assert.True(lost.IsNull, $"the new leader has the write only the old one acknowledged: {lost}");
            Assert.Equal("1", (await client.CommandAsync("GET", $"before{leader}")).Text);
        }

        // Healed, the old leader's log is replaced; it keeps its diverged state and keeps serving.
        await TestHookCommands.HealAllAsync(cluster);
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        ServerProcess old = cluster.Node(leader);
        Assert.True(
            Poll.Within(Poll.Patience, () => old.Output.Contains("UNSAFE early-ack: group 2: the log from index", StringComparison.Ordinal)),
            $"the old leader did not report that entries it applied early were replaced\n{cluster.Outputs()}");
        using (RespClient client = await old.ConnectAsync())
        {
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            Assert.Equal("OK", (await client.CommandAsync("SET", "after", "1")).Text);
            Assert.Equal("1", (await client.CommandAsync("GET", "after")).Text);
            RespReply diverged = await client.CommandAsync("GET", "during");
            output.WriteLine($"after healing, the old leader reads the lost write as {diverged}; the new leader has none");
            Assert.Equal("1", diverged.Text);
        }

        Assert.False(old.HasExited, $"the old leader exited\n{old.Output}");
    }

    [Fact]
    public async Task Unknown_unsafe_modes_are_rejected_at_start()
    {
        (string[] Arguments, string Error)[] cases =
        [
            (["--unsafe", "early-ack,sometimes"], "--unsafe takes stale-reads, early-ack or both"),
            (["--unsafe", ""], "--unsafe takes stale-reads, early-ack or both"),
        ];
        await TestHookCommands.AssertRefusedAtStartAsync(cases);
    }
}
