using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Lattice.Server.Tests;

/// <summary>
/// A client that pipelines large GETs and never reads its replies must not make the server buffer without bound
/// (it may be throttled or disconnected), and other clients must keep being served meanwhile. The server holds at
/// most a batch of replies per connection (sent once they pass 64 KB), so its growth stays far below the limit here.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class SlowReaderMemoryTests(ITestOutputHelper output)
{
    private const int ValueBytes = 1024 * 1024;
    private const long AllowedGrowthKilobytes = 64 * 1024;
    private static readonly TimeSpan FloodTime = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_client_that_never_reads_large_replies_does_not_grow_server_memory_without_bound()
    {
        await using ServerProcess server = await ServerProcess.StartAsync();
        using (RespClient setup = await server.ConnectAsync())
        {
            await setup.OkCommandAsync("SET", "big", new byte[ValueBytes]);
            await setup.OkCommandAsync("SET", "small", "ok");
            Assert.Equal(ValueBytes, (await setup.OkCommandAsync("GET", "big")).Bytes!.Length);
        }

        await Task.Delay(500);
        long baseline = server.ResidentKilobytes() ?? throw new InvalidOperationException("no VmRSS for the server");
        long peak = baseline;
        using var stop = new CancellationTokenSource();

        RespClient greedy = await server.ConnectAsync();
        greedy.Socket.ReceiveBufferSize = 64 * 1024;
        long requestsSent = 0;
        string greedyEnd = "still sending at the end";
        Task flood = Task.Run(async () =>
        {
            byte[] batch = [.. Enumerable.Range(0, 64).SelectMany(_ => RespClient.Encode("GET", "big"))];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await greedy.SendRawAsync(batch, stop.Token);
                    Interlocked.Add(ref requestsSent, 64);
                }
            }
            catch (OperationCanceledException)
            {
                greedyEnd = "blocked in send (server stopped reading)";
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                greedyEnd = "disconnected by the server: " + e.Message;
            }
        });

        var servedLatencies = new List<TimeSpan>();
        RespClient other = await server.ConnectAsync();
        other.ReplyTimeout = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        string? starved = null;
        while (clock.Elapsed < FloodTime)
        {
            var one = Stopwatch.StartNew();
            try
            {
                Assert.Equal("PONG", (await other.CommandAsync("PING")).Text);
                Assert.Equal("ok", (await other.CommandAsync("GET", "small")).Text);
            }
            catch (TimeoutException e)
            {
                starved = e.Message;
                break;
            }

            servedLatencies.Add(one.Elapsed);
            peak = Math.Max(peak, server.ResidentKilobytes() ?? peak);
            if (peak - baseline >= AllowedGrowthKilobytes)
            {
                break; // already failed; stop before the machine runs out of memory
            }

            await Task.Delay(100);
        }

        await stop.CancelAsync();
        greedy.Dispose();
        other.Dispose();
        await Task.WhenAny(flood, Task.Delay(TimeSpan.FromSeconds(10)));
        peak = Math.Max(peak, server.ResidentKilobytes() ?? peak);

        string summary = $"baseline VmRSS {baseline} KiB, peak {peak} KiB, {Interlocked.Read(ref requestsSent)} GETs of {ValueBytes} bytes sent " +
            $"({greedyEnd}), other client served {servedLatencies.Count} times, slowest {servedLatencies.DefaultIfEmpty().Max().TotalMilliseconds:F0} ms";
        output.WriteLine(summary);
        Assert.True(starved is null, $"the other client got no reply ({starved}): {summary}");
        Assert.True(servedLatencies.Count >= 3, "the other client was barely served: " + summary);
        Assert.True(peak - baseline < AllowedGrowthKilobytes, $"server memory grew by more than {AllowedGrowthKilobytes} KiB: {summary}");

        using (RespClient after = await server.ConnectAsync())
        {
            Assert.Equal("PONG", (await after.CommandAsync("PING")).Text);
        }

        Assert.Equal(0, await server.StopAsync());
    }
}
