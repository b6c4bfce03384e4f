namespace Lattice.Server.Tests;

/// <summary>The data directory across processes: its layout, its lock, and snapshots plus log after SIGKILL.</summary>
[Collection(ServerCollections.Heavy)]
public sealed class DataDirectoryTests
{
    [Fact]
    public async Task A_second_server_on_the_same_data_directory_is_refused_while_the_first_keeps_serving()
    {
        await using ServerProcess first = await ServerProcess.StartAsync();
        Assert.True(Directory.Exists(Path.Combine(first.DataDirectory, "wal")), "no wal/ in the data directory");
        Assert.True(Directory.Exists(Path.Combine(first.DataDirectory, "snapshots")), "no snapshots/ in the data directory");
        Assert.True(File.Exists(Path.Combine(first.DataDirectory, "LOCK")), "no LOCK in the data directory");
        using (RespClient client = await first.ConnectAsync())
        {
            await client.OkCommandAsync("SET", "owner", "first");
        }

        await using (ServerProcess second = ServerProcess.Launch(new ServerStartOptions { DataDirectory = first.DataDirectory }))
        {
            int? exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exitCode is not null && exitCode != 0, $"a second server on a locked data directory: exit {exitCode}; output:\n{second.Output}");
            Assert.Contains(first.DataDirectory, second.Output, StringComparison.Ordinal);
        }

        using (RespClient client = await first.ConnectAsync())
        {
            Assert.Equal("first", (await client.OkCommandAsync("GET", "owner")).Text);
            await client.OkCommandAsync("SET", "still", "writable");
        }

        Assert.Equal(0, await first.StopAsync());
    }

    [Fact]
    public async Task A_restart_that_gives_the_node_another_address_is_refused_and_changes_nothing()
    {
        using var directory = new TempDirectory("lattice-address");
        var ports = new HashSet<int>();
        int port = FreePort.PickDistinct(ports);
        int peerPort = FreePort.PickDistinct(ports);
        int otherPort = FreePort.PickDistinct(ports);
        int otherPeerPort = FreePort.PickDistinct(ports);
        ServerStartOptions At(int client, int peer) => new()
        {
            DataDirectory = directory.Path,
            Port = client,
            ExtraArguments = ["--node-id", "1", "--initial-cluster", $"1=127.0.0.1:{client}@{peer}"],
        };

        await using (ServerProcess first = await ServerProcess.StartAsync(At(port, peerPort)))
        {
            using (RespClient client = await first.ConnectAsync())
            {
                await client.OkCommandAsync("SET", "kept", "yes");
            }

            Assert.Equal(0, await first.StopAsync());
        }

        // As `lattice dev --base-port` with another port on the same data directory (no --port: the address comes from
        // --initial-cluster): the node would have served its old address while the new one was printed.
        ToolResult moved = await ToolRunner.RunAsync(ServerProcess.DotnetHost(),
            [ServerProcess.LatticeDll, "server", "--node-id", "1", "--initial-cluster", $"1=127.0.0.1:{otherPort}@{otherPeerPort}", "--data-dir", directory.Path],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(moved.ExitCode != 0, $"a restart at another address: exit {moved.ExitCode}; stderr:\n{moved.StandardError}");
        Assert.True(
            moved.StandardError.Contains($"knows node 1 at 127.0.0.1:{port}@{peerPort}, not at 127.0.0.1:{otherPort}@{otherPeerPort}", StringComparison.Ordinal),
            "the refusal does not name both addresses:\n" + moved.StandardError);

        await using ServerProcess again = await ServerProcess.StartAsync(At(port, peerPort));
        using (RespClient client = await again.ConnectAsync())
        {
            Assert.Equal("yes", (await client.OkCommandAsync("GET", "kept")).Text);
        }

        Assert.Equal(0, await again.StopAsync());
    }

    [Fact]
    public async Task A_SAVE_snapshot_plus_the_log_after_it_survive_SIGKILL()
    {
        using var directory = new TempDirectory("lattice-snapshot");
        await using (ServerProcess server = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = directory.Path }))
        {
            using RespClient client = await server.ConnectAsync();
            for (int i = 0; i < 100; i++)
            {
                await client.OkCommandAsync("SET", $"before:{i}", $"b{i}");
            }

            await client.OkCommandAsync("RPUSH", "list", "x", "y");
            Assert.Equal("OK", (await client.OkCommandAsync("SAVE")).Text);
            Assert.True((await client.OkCommandAsync("LASTSAVE")).Integer > 1_600_000_000, "LASTSAVE is not a recent unix time");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory.Path, "snapshots"), "*.snap", SearchOption.AllDirectories));
            for (int i = 0; i < 50; i++)
            {
                await client.OkCommandAsync("SET", $"after:{i}", $"a{i}");
            }

            await client.OkCommandAsync("RPUSH", "list", "z");
            await client.OkCommandAsync("SET", "before:0", "overwritten");
            server.Kill();
        }

        await using ServerProcess restarted = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = directory.Path });
        using (RespClient check = await restarted.ConnectAsync())
        {
            Assert.Equal(151, (await check.OkCommandAsync("DBSIZE")).Integer);
            Assert.Equal("overwritten", (await check.OkCommandAsync("GET", "before:0")).Text);
            Assert.Equal("b99", (await check.OkCommandAsync("GET", "before:99")).Text);
            Assert.Equal("a49", (await check.OkCommandAsync("GET", "after:49")).Text);
            Assert.Equal(["x", "y", "z"], (await check.OkCommandAsync("LRANGE", "list", 0, -1)).Items.Select(i => i.Text));
        }

        Assert.Equal(0, await restarted.StopAsync());
    }
}
