using System.Globalization;

namespace Lattice.Server.Tests;

/// <summary>
/// Both client transports: the node's event loops with one and with two loops (connections then move from the
/// accepting loop to the other), and Kestrel (what serves clients where there is no epoll): connections opened and
/// closed by the hundred, some in the middle of a request, are each served and then closed by the server, releasing
/// their descriptors.
/// </summary>
[Collection(ServerCollections.Clients)]
public sealed class ClientConnectionTests
{
    private const int Rounds = 6;
    private const int ClientsPerRound = 50;

    /// <summary>Descriptors the node may open meanwhile for itself (a log segment, a snapshot being written).</summary>
    private const int DescriptorSlack = 8;

    [Theory]
    [InlineData("loops", 1)]
    [InlineData("loops", 2)]
    [InlineData("kestrel", 2)]
    public async Task Connections_by_the_hundred_are_served_and_closing_them_releases_their_descriptors(string transport, int threads)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(
            new ServerStartOptions { ConfigFileContents = $"client-transport {transport}\nio-threads {threads}\n" });
        string expected = transport == "kestrel" ? "(kestrel)" : $"({threads} event loop{(threads == 1 ? "" : "s")})";
        string ready = "ready: accepting RESP connections on 127.0.0.1:" + server.Port.ToString(CultureInfo.InvariantCulture) + " " + expected;
        for (int attempt = 0; attempt < 50 && !server.Output.Contains(ready, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100); // the line is printed just after the listener starts, so it may trail the first PING
        }

        Assert.Contains(ready, server.Output, StringComparison.Ordinal);
        using RespClient probe = await server.ConnectAsync();
        int baseline = OpenDescriptors(server.Pid);
        for (int round = 0; round < Rounds; round++)
        {
            RespClient[] clients = await Task.WhenAll(Enumerable.Range(0, ClientsPerRound).Select(_ => server.ConnectAsync()));
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                string key = $"churn:{round}:{i}";
                await client.OkCommandAsync("SET", key, key);
                Assert.Equal(key, (await client.CommandAsync("GET", key)).Text);
                if (i % 2 == 0)
                {
                    // Leave in the middle of a request: the server drops the partial frame with the connection.
                    await client.SendRawAsync("*3\r\n$3\r\nSET\r\n$5\r\nhalf:");
                }
            }));
            foreach (RespClient client in clients)
            {
                client.Dispose();
            }
        }

        long connected = -1;
        int descriptors = -1;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            connected = ConnectedClients((await probe.CommandAsync("INFO", "clients")).Text);
            descriptors = OpenDescriptors(server.Pid);
            if (connected == 1 && descriptors <= baseline + DescriptorSlack)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(connected == 1, $"connected_clients {connected} after every other client left");
        Assert.True(descriptors <= baseline + DescriptorSlack, $"{descriptors} descriptors open after {Rounds * ClientsPerRound} connections closed (baseline {baseline})");
        Assert.Equal(Rounds * ClientsPerRound, (await probe.CommandAsync("DBSIZE")).Integer);
        Assert.Equal(0, await server.StopAsync());
    }

    private static int OpenDescriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    private static long ConnectedClients(string info)
    {
        foreach (string line in info.Split("\r\n"))
        {
            if (line.StartsWith("connected_clients:", StringComparison.Ordinal))
            {
                return long.Parse(line["connected_clients:".Length..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("INFO clients has no connected_clients: " + info);
    }
}
