using System.Globalization;

namespace Lattice.Server.Tests.Cluster;

/// <summary>LATTICE TEST commands sent to the nodes of a <see cref="TestCluster"/> started with --test-hooks.</summary>
internal static class TestHookCommands
{
    /// <summary>Sends LATTICE TEST <paramref name="args"/> to node <paramref name="id"/> and fails unless it answers +OK.</summary>
    public static async Task RunAsync(TestCluster cluster, int id, params object[] args)
    {
        using RespClient client = await cluster.Node(id).ConnectAsync();
        RespReply reply = await client.CommandAsync(["LATTICE", "TEST", .. args]);
        Assert.True(!reply.IsError && reply.Text == "OK", $"node {id}: LATTICE TEST {string.Join(' ', args)} answered {reply}");
    }

    /// <summary>Cuts every link between <paramref name="node"/> and <paramref name="others"/>, on both ends, as the harness does.</summary>
    public static async Task IsolateAsync(TestCluster cluster, int node, params int[] others)
    {
        await RunAsync(cluster, node, ["ISOLATE", .. others.Select(id => (object)id.ToString(CultureInfo.InvariantCulture))]);
        foreach (int other in others)
        {
            await RunAsync(cluster, other, "ISOLATE", node.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>HEAL on every running node.</summary>
    public static async Task HealAllAsync(TestCluster cluster)
    {
        for (int id = 1; id <= cluster.Count; id++)
        {
            if (cluster.IsRunning(id))
            {
                await RunAsync(cluster, id, "HEAL");
            }
        }
    }

    /// <summary>Each single node started with the arguments must exit with code 2 and say the error.</summary>
    public static async Task AssertRefusedAtStartAsync((string[] Arguments, string Error)[] cases)
    {
        foreach ((string[] arguments, string error) in cases)
        {
            await using ServerProcess server = ServerProcess.Launch(new ServerStartOptions { ExtraArguments = arguments });
            int? exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 2, $"{string.Join(' ', arguments)}: exit {exitCode}; output:\n{server.Output}");
            Assert.Contains(error, server.Output, StringComparison.Ordinal);
        }
    }
}
