namespace Lattice.Server.Tests;

/// <summary>Command-line flags and the --config file, as the running server reports them.</summary>
[Collection(ServerCollections.Clients)]
public sealed class StartupOptionsTests
{
    [Fact]
    public async Task The_appendfsync_flag_wins_over_the_config_file_and_CONFIG_GET_reports_both_settings()
    {
        await using ServerProcess server = await ServerProcess.StartAsync(new ServerStartOptions
        {
            AppendFsync = "everysec",
            ConfigFileContents = "appendfsync no\nproto-max-bulk-len 2048\n",
        });
        using (RespClient client = await server.ConnectAsync())
        {
            RespReply fsync = await client.OkCommandAsync("CONFIG", "GET", "appendfsync");
            Assert.True(fsync.Items.Count == 2 && fsync.Items[1].Text == "everysec", $"CONFIG GET appendfsync: {fsync}");
            RespReply bulk = await client.OkCommandAsync("CONFIG", "GET", "proto-max-bulk-len");
            Assert.True(bulk.Items.Count == 2 && bulk.Items[1].Text == "2048", $"CONFIG GET proto-max-bulk-len: {bulk}");
        }

        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task An_unknown_option_in_the_config_file_fails_start_up_naming_the_file()
    {
        await using ServerProcess server = ServerProcess.Launch(new ServerStartOptions
        {
            ConfigFileContents = "# fine\nappendfsync always\nno-such-option 1\n",
        });
        int? exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode is not null && exitCode != 0, $"start-up with a bad config file: exit {exitCode}; output:\n{server.Output}");
        Assert.Contains(server.ConfigFile!, server.Output, StringComparison.Ordinal);
        Assert.Contains("no-such-option", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_on_a_taken_port_leaves_a_new_data_directory_free_for_another_port()
    {
        using var directory = new TempDirectory();
        string data = Path.Combine(directory.Path, "data");
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int busyPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            await using (ServerProcess refused = ServerProcess.Launch(new ServerStartOptions { DataDirectory = data, Port = busyPort }))
            {
                int? exitCode = await refused.WaitForExitAsync(TimeSpan.FromSeconds(60));
                Assert.True(exitCode == 1, $"start on a taken port: exit {exitCode}; output:\n{refused.Output}");
                Assert.Contains("address already in use", refused.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            taken.Stop();
        }

        // The failed start recorded nothing, so this directory may become a node on another port.
        await using ServerProcess server = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = data, Port = FreePort.Pick() });
        using (RespClient client = await server.ConnectAsync())
        {
            await client.OkCommandAsync("SET", "k", "v");
        }

        Assert.Equal(0, await server.StopAsync());
    }

    [Theory]
    [InlineData("--appendfsync", "--appendfsync needs a value")]
    [InlineData("--no-such-flag", "unknown option '--no-such-flag'")]
    public async Task A_bad_flag_fails_start_up_with_one_line_that_names_it(string flag, string expected)
    {
        // Last on the command line, so a flag that takes a value has none.
        await using ServerProcess server = ServerProcess.Launch(new ServerStartOptions { ExtraArguments = [flag] });
        int? exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 2, $"start-up with '{flag}' last: exit {exitCode}; output:\n{server.Output}");
        Assert.Contains("lattice server: " + expected, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("usage: lattice server", server.Output, StringComparison.Ordinal);
    }
}
