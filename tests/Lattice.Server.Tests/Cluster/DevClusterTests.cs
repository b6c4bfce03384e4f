using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// The README's start command: <c>lattice dev --nodes 3</c> starts three node processes on consecutive ports with
/// data under one folder, <c>lattice status</c> reports them, and Ctrl-C (SIGINT) stops every node it started and
/// exits 0 (the nodes' process ids come from INFO server, as in Redis).
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class DevClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dev_starts_three_nodes_status_reports_them_and_ctrl_c_stops_them_all()
    {
        using var directory = new TempDirectory("lattice-dev");
        int basePort = PickBasePort();
        // Through env --default-signal=INT: a test run started in the background (nohup ... &) inherits SIGINT
        // ignored, and the Ctrl-C this test sends would never arrive.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--default-signal=INT", ServerProcess.DotnetHost(), ServerProcess.LatticeDll, "dev", "--nodes", "3", "--base-port", $"{basePort}", "--data-dir", directory.Path })
        {
            start.ArgumentList.Add(arg);
        }

        var log = new System.Text.StringBuilder();
        using var dev = new Process { StartInfo = start };
        dev.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        dev.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        dev.Start();
        dev.BeginOutputReadLine();
        dev.BeginErrorReadLine();
        var nodePids = new List<int>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                nodePids.Add(await ProcessIdAsync(basePort + i, log));
            }

            ToolResult status = await WaitForStatusAsync(basePort);
            output.WriteLine(status.StandardOutput);
            Assert.Contains("leader: node", status.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(3, status.StandardOutput.Split('\n').Count(line => line.Contains("127.0.0.1:", StringComparison.Ordinal)));

            using (RespClient client = await RespClient.ConnectAsync(basePort + 1))
            {
                Assert.Equal("OK", (await client.CommandAsync("SET", "greeting", "hello")).Text);
            }

            using (RespClient client = await RespClient.ConnectAsync(basePort + 2))
            {
                Assert.Equal("hello", (await client.CommandAsync("GET", "greeting")).Text);
            }

            Assert.Equal(0, NativeMethods.Kill(dev.Id, NativeMethods.SigInt));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await dev.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, dev.ExitCode);
            foreach (int pid in nodePids)
            {
                Assert.False(Directory.Exists($"/proc/{pid}"), $"node process {pid} still runs after Ctrl-C\n{log}");
            }

            Assert.True(Directory.Exists(Path.Combine(directory.Path, "node1", "wal")), "node data lives under the --data-dir folder");
        }
        finally
        {
            if (!dev.HasExited)
            {
                dev.Kill(entireProcessTree: true);
            }

            foreach (int pid in nodePids)
            {
                _ = NativeMethods.Kill(pid, NativeMethods.SigKill);
            }
        }
    }

    private static async Task<int> ProcessIdAsync(int port, System.Text.StringBuilder log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                using RespClient client = await RespClient.ConnectAsync(port, TimeSpan.FromSeconds(2));
                RespReply info = await client.CommandAsync("INFO", "server");
                foreach (string line in info.Text.Split("\r\n"))
                {
                    if (line.StartsWith("process_id:", StringComparison.Ordinal))
                    {
                        return int.Parse(line["process_id:".Length..], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException)
            {
            }

            await Task.Delay(200);
        }

        Assert.Fail($"node on port {port} never answered INFO server\n{log}");
        return 0;
    }

    private static async Task<ToolResult> WaitForStatusAsync(int port)
    {
        ToolResult status;
        var clock = Stopwatch.StartNew();
        do
        {
            status = await ToolRunner.RunAsync(ServerProcess.DotnetHost(), [ServerProcess.LatticeDll, "status", "--port", $"{port}"]);
            if (status.StandardOutput.Contains("leader: node", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(30));
        return status;
    }

    /// <summary>Three consecutive client ports whose peer ports (+10000) are free too.</summary>
    private static int PickBasePort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int basePort = Random.Shared.Next(20000, 40000);
            if (Enumerable.Range(0, 3).All(i => IsFree(basePort + i) && IsFree(basePort + i + 10000)))
            {
                return basePort;
            }
        }

        throw new InvalidOperationException("no free run of ports found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
