using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// One client writing its own registers (SET with unique values) to one node until stopped or its node dies, each
/// write recorded as attempted before it is sent and acknowledged only on +OK. Error replies are the cluster saying
/// "not now" (leader change, timeout): they are counted, never acknowledged, and the writer carries on.
/// </summary>
internal sealed class ClusterWriter(int writer, int port, WriteHistory history, Stopwatch clock)
{
    private const int Registers = 50;

    public int Errors { get; private set; }

    /// <summary>Clock time of every acknowledged write: when it was sent and when +OK came back.</summary>
    public List<(TimeSpan Sent, TimeSpan Acknowledged)> Acks { get; } = [];

    public string? Anomaly { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            using RespClient client = await RespClient.ConnectAsync(port);
            client.ReplyTimeout = TimeSpan.FromSeconds(30);
            for (long seq = 0; !stop.IsCancellationRequested; seq++)
            {
                string key = string.Create(CultureInfo.InvariantCulture, $"w{writer}:k{seq % Registers}");
                string value = string.Create(CultureInfo.InvariantCulture, $"v{writer}-{seq}");
                AttemptedWrite write = history.Attempt(key, WriteKind.Register, value);
                TimeSpan sent = clock.Elapsed;
                RespReply reply = await client.CommandAsync("SET", key, value);
                if (reply.Kind == RespKind.SimpleString && reply.Text == "OK")
                {
                    write.Acknowledge();
                    lock (Acks)
                    {
                        Acks.Add((sent, clock.Elapsed));
                    }
                }
                else if (reply.IsError)
                {
                    Errors++;
                    await Task.Delay(20, CancellationToken.None);
                }
                else
                {
                    Anomaly = $"writer {writer}: unexpected reply {reply} to SET";
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or InvalidDataException or ObjectDisposedException)
        {
            // The node this writer talks to was killed.
        }
    }

    /// <summary>Reads every key of the history back from a node with strong reads.</summary>
    public static async Task<StoreObservation> ReadBackAsync(int port, WriteHistory history)
    {
        var observed = new StoreObservation();
        using RespClient client = await RespClient.ConnectAsync(port);
        client.ReplyTimeout = TimeSpan.FromSeconds(30);
        RespReply keys = await client.OkCommandAsync("KEYS", "*");
        observed.AllKeys.UnionWith(keys.Items.Select(k => k.Text));
        foreach (KeyHistory key in history.Keys)
        {
            RespReply value = await client.OkCommandAsync("GET", key.Key);
            observed.Strings[key.Key] = value.IsNull ? null : value.Text;
        }

        return observed;
    }
}
