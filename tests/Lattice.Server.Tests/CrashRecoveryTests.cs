using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Lattice.Server.Tests;

/// <summary>
/// SIGKILL under concurrent load, restart on the same data directory, and check with <see cref="DurabilityChecker"/>
/// that every acknowledged write survived and nothing unwritten appeared. With appendfsync always a write is on disk
/// before its reply; with no it is in the OS (written, or copied into the mapped log segment), which a process kill
/// cannot take away.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int RegistersPerWriter = 50;

    [Theory]
    [InlineData("always")]
    [InlineData("no")]
    public async Task Every_acknowledged_write_survives_SIGKILL_mid_load_and_nothing_unwritten_appears(string appendFsync)
    {
        using var directory = new TempDirectory("lattice-crash");
        var history = new WriteHistory();
        var anomalies = new ConcurrentQueue<string>();
        string firstRunOutput;
        await using (ServerProcess server = await ServerProcess.StartAsync(
            new ServerStartOptions { DataDirectory = directory.Path, AppendFsync = appendFsync }))
        {
            var killed = new StrongBox<bool>();
            Task[] writers = Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => WriteUntilFailureAsync(server.Port, w, history, anomalies, killed)))
                .ToArray();
            await Task.Delay(TimeSpan.FromMilliseconds(2500 + Random.Shared.Next(1000)));
            Volatile.Write(ref killed.Value, true);
            server.Kill();
            Task all = Task.WhenAll(writers);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(all.IsCompleted, "writers did not notice the killed server within 30 s");
            await all;
            firstRunOutput = server.Output;
        }

        Assert.True(anomalies.IsEmpty, "writers saw unexpected replies before the kill:\n" + string.Join('\n', anomalies) + "\nserver output:\n" + firstRunOutput);
        Assert.True(
            history.AcknowledgedCount >= 200,
            $"only {history.AcknowledgedCount} writes were acknowledged before the kill; the test needs load to mean anything");

        await using ServerProcess restarted = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = directory.Path });
        StoreObservation observed = await ReadBackAsync(restarted, history);
        IReadOnlyList<DurabilityViolation> violations = DurabilityChecker.Check(history, observed);
        output.WriteLine(
            $"{history.AcknowledgedCount} writes acknowledged of {history.AttemptedCount} attempted by {Writers} writers before SIGKILL; " +
            $"{observed.AllKeys.Count} keys after restart; {violations.Count} violations");
        Assert.True(
            violations.Count == 0,
            $"{violations.Count} violations after restart ({history.AcknowledgedCount} acknowledged of {history.AttemptedCount} attempted):\n"
            + string.Join('\n', violations.Take(50)) + "\nrestart output:\n" + restarted.Output);
        Assert.Equal(0, await restarted.StopAsync());
    }

    /// <summary>
    /// One writer: SET on its own 50 registers, INCR on its counter, RPUSH on its list, one request at a time, each
    /// recorded as attempted before it is sent and acknowledged once its reply checks out. Returns when the
    /// connection fails (the kill).
    /// </summary>
    private static async Task WriteUntilFailureAsync(
        int port, int writer, WriteHistory history, ConcurrentQueue<string> anomalies, StrongBox<bool> killed)
    {
        long increments = 0;
        long appends = 0;
        try
        {
            using RespClient client = await RespClient.ConnectAsync(port);
            client.ReplyTimeout = TimeSpan.FromSeconds(20);
            for (long seq = 0; ; seq++)
            {
                string value = string.Create(CultureInfo.InvariantCulture, $"v{writer}-{seq}");
                AttemptedWrite write;
                RespReply reply;
                bool ok;
                switch (seq % 3)
                {
                    case 0:
                    {
                        string key = string.Create(CultureInfo.InvariantCulture, $"w{writer}:k{seq / 3 % RegistersPerWriter}");
                        write = history.Attempt(key, WriteKind.Register, value);
                        reply = await client.CommandAsync("SET", key, value);
                        ok = reply.Kind == RespKind.SimpleString && reply.Text == "OK";
                        break;
                    }

                    case 1:
                    {
                        string key = string.Create(CultureInfo.InvariantCulture, $"w{writer}:ctr");
                        increments++;
                        write = history.Attempt(key, WriteKind.Counter, increments.ToString(CultureInfo.InvariantCulture));
                        reply = await client.CommandAsync("INCR", key);
                        ok = reply.Kind == RespKind.Integer && reply.Integer == increments;
                        break;
                    }

                    default:
                    {
                        string key = string.Create(CultureInfo.InvariantCulture, $"w{writer}:list");
                        appends++;
                        write = history.Attempt(key, WriteKind.List, value);
                        reply = await client.CommandAsync("RPUSH", key, value);
                        ok = reply.Kind == RespKind.Integer && reply.Integer == appends;
                        break;
                    }
                }

                if (!ok)
                {
                    anomalies.Enqueue($"writer {writer} op {seq}: unexpected reply {reply}");
                    return;
                }

                write.Acknowledge();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or InvalidDataException or ObjectDisposedException)
        {
            if (!Volatile.Read(ref killed.Value))
            {
                anomalies.Enqueue($"writer {writer}: connection failed before the kill: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static async Task<StoreObservation> ReadBackAsync(ServerProcess server, WriteHistory history)
    {
        var observed = new StoreObservation();
        using RespClient client = await server.ConnectAsync();
        RespReply keys = await client.OkCommandAsync("KEYS", "*");
        observed.AllKeys.UnionWith(keys.Items.Select(k => k.Text));
        foreach (KeyHistory key in history.Keys)
        {
            if (key.Kind == WriteKind.List)
            {
                RespReply list = await client.OkCommandAsync("LRANGE", key.Key, 0, -1);
                observed.Lists[key.Key] = [.. list.Items.Select(i => i.Text)];
            }
            else
            {
                RespReply value = await client.OkCommandAsync("GET", key.Key);
                observed.Strings[key.Key] = value.IsNull ? null : value.Text;
            }
        }

        return observed;
    }
}
