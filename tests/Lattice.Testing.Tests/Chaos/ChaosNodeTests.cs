using System.Diagnostics;
using System.Net;
using Lattice.Testing.Chaos;

namespace Lattice.Testing.Tests.Chaos;

public sealed class ChaosNodeTests
{
    /// <summary>
    /// A node whose process exits as the harness disposes it: the process's exit notification and the disposal run
    /// at the same time. The notification runs inside the process object's lock and once waited for the node's
    /// lock, while disposal held the node's lock and called into the process (HasExited, Dispose), which waits for
    /// the process object's lock: a whole chaos test hung for good.
    /// </summary>
    [Fact]
    public async Task Disposing_a_node_whose_process_is_exiting_does_not_hang()
    {
        string directory = Directory.CreateTempSubdirectory("lattice-chaos-node").FullName;
        try
        {
            Task rounds = Task.Run(() =>
            {
                for (int round = 0; round < 200; round++)
                {
                    var node = new ChaosNode(0, 1, new IPEndPoint(IPAddress.Loopback, 1), 2, directory, Path.Combine(directory, "n1.log"));
                    node.Start(new ProcessStartInfo("/bin/true"));
                    node.Dispose();
                }
            });

            Task finished = await Task.WhenAny(rounds, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == rounds, "starting and disposing 200 short-lived nodes did not finish within 60 s (a deadlock)");
            await rounds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_process_that_exits_on_its_own_is_remembered_and_its_output_logged()
    {
        string directory = Directory.CreateTempSubdirectory("lattice-chaos-node").FullName;
        try
        {
            string logPath = Path.Combine(directory, "n1.log");
            using (var node = new ChaosNode(0, 7, new IPEndPoint(IPAddress.Loopback, 1), 2, directory, logPath))
            {
                var start = new ProcessStartInfo("/bin/sh");
                start.ArgumentList.Add("-c");
                // The pause lets the line be read (output is read asynchronously) before the exit is seen.
                start.ArgumentList.Add("echo node says hello; sleep 0.2; exit 3");
                node.Start(start);
                Assert.True(SpinWait.SpinUntil(() => node.UnexpectedExits.Count > 0, TimeSpan.FromSeconds(30)));
                Assert.Equal("n1 (id 7) exited with code 3", Assert.Single(node.UnexpectedExits));
            }

            string log = File.ReadAllText(logPath);
            Assert.Contains("node says hello", log, StringComparison.Ordinal);
            Assert.Contains("=== node 7 exited with code 3 (not caused by the harness)", log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
