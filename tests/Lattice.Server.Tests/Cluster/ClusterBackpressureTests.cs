using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// A leader that cannot commit (both followers stopped) takes proposals up to the Raft core's uncommitted-bytes
/// limit (16 MB), holds the next ones back for later cycles up to its cap (32 MB), and refuses the rest at once as
/// busy: what waits on a stuck leader stays bounded, and every request is still answered.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class ClusterBackpressureTests(ITestOutputHelper output)
{
    // A session has one run of writes in flight at a time, so the flood comes from many connections, one write each.
    private const int Clients = 256;
    private const int ValueBytes = 256 * 1024;

    [Fact]
    public async Task A_leader_that_cannot_commit_holds_back_a_bounded_amount_and_refuses_the_rest_as_busy()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        int leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        int[] followers = [.. Enumerable.Range(1, 3).Where(id => id != leader)];

        // 256 clients x 256 KB = 64 MB at once: more than the 16 MB the core takes plus the 32 MB held back. The
        // connections are made first: the flood has to land before the leader notices it lost its quorum (1-2 s).
        var value = new byte[ValueBytes];
        Array.Fill(value, (byte)'v');
        RespClient[] connections = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => RespClient.ConnectAsync(cluster.Port(leader))));
        var replies = new string[Clients];
        foreach (int id in followers)
        {
            cluster.Pause(id);
        }

        Task[] clients = [.. Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            await using RespClient client = connections[c];
            client.ReplyTimeout = TimeSpan.FromSeconds(60);
            RespReply reply = await client.CommandAsync("SET", $"bp:{c}", value);
            replies[c] = reply.IsError ? reply.Text : "OK";
        }))];

        try
        {
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            foreach (int id in followers)
            {
                cluster.Resume(id);
            }
        }

        var kinds = replies.GroupBy(Kind).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", kinds.Select(k => $"{k.Key}: {k.Value}")));
        Assert.Equal(Clients, kinds.Values.Sum());
        Assert.True(kinds.GetValueOrDefault("busy") > 0, $"no write was refused as busy: {string.Join(", ", kinds)}\n{cluster.Outputs()}");
        Assert.True(cluster.IsRunning(leader), "the leader survived the flood");

        // Once the followers are back, the cluster serves writes again.
        int after = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        await using RespClient check = await RespClient.ConnectAsync(cluster.Port(after));
        check.ReplyTimeout = TimeSpan.FromSeconds(30);
        RespReply ok = await check.CommandAsync("SET", "bp:after", "1");
        Assert.False(ok.IsError, ok.Text);
    }

    private static string Kind(string reply) => reply switch
    {
        "OK" => "ok",
        _ when reply.StartsWith("TRYAGAIN the leader is busy", StringComparison.Ordinal) => "busy",
        _ when reply.StartsWith("TRYAGAIN", StringComparison.Ordinal) => "leader changed",
        _ when reply.StartsWith("TIMEOUT", StringComparison.Ordinal) => "timeout",
        _ when reply.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) => "no leader",
        _ => reply,
    };
}
