using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// A cluster of real <c>lattice server</c> processes on free loopback ports (client and peer port chosen up front
/// for every member), data under one temp folder. Nodes can be killed, paused (SIGSTOP), stopped and restarted on
/// their data; dispose kills whatever runs and deletes the folder.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TempDirectory _root = new("lattice-cluster");
    private readonly ServerProcess?[] _nodes;
    private readonly int[] _ports;
    private readonly string _initialCluster;

    private readonly string? _config;

    private readonly IReadOnlyList<string> _arguments;

    private readonly int[] _peerPorts;

    private TestCluster(int count, int spares, string? config, IReadOnlyList<string> arguments)
    {
        _config = config;
        _arguments = arguments;
        _nodes = new ServerProcess?[count + spares];
        _ports = new int[count + spares];
        _peerPorts = new int[count + spares];
        var members = new List<string>();
        var taken = new HashSet<int>();
        for (int i = 0; i < count + spares; i++)
        {
            // Picked ports are released at once, so the OS may hand the same one out twice: keep them distinct.
            _ports[i] = FreePort.PickDistinct(taken);
            _peerPorts[i] = FreePort.PickDistinct(taken);
            if (i < count)
            {
                members.Add(string.Create(CultureInfo.InvariantCulture, $"{i + 1}=127.0.0.1:{_ports[i]}@{_peerPorts[i]}"));
            }
        }

        _initialCluster = string.Join(',', members);
    }

    /// <summary>Every id this cluster has ports for (founding members and spares).</summary>
    public int Count => _nodes.Length;

    public string InitialCluster => _initialCluster;

    /// <summary>
    /// Starts <paramref name="count"/> founding nodes; <paramref name="spares"/> more ids get ports for joining later;
    /// <paramref name="config"/> is a settings file every node reads; <paramref name="arguments"/> are extra flags
    /// every node gets (e.g. --test-hooks).
    /// </summary>
    public static async Task<TestCluster> StartAsync(int count = 3, string? config = null, int spares = 0, IReadOnlyList<string>? arguments = null)
    {
        var cluster = new TestCluster(count, spares, config, arguments ?? []);
        try
        {
            await Task.WhenAll(Enumerable.Range(1, count).Select(cluster.StartNodeAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Node <paramref name="id"/> (1-based); fails if it is not running.</summary>
    public ServerProcess Node(int id) => _nodes[id - 1] ?? throw new InvalidOperationException($"node {id} is not running");

    public int Port(int id) => _ports[id - 1];

    public bool IsRunning(int id) => _nodes[id - 1] is { HasExited: false };

    public string DataDirectory(int id) => Path.Combine(_root.Path, $"node{id}");

    public Task StartNodeAsync(int id) =>
        LaunchAsync(id, null, ["--node-id", Text(id), "--initial-cluster", _initialCluster]);

    /// <summary>Starts node <paramref name="id"/> as a plain <c>lattice server</c>: a cluster of one that others can join.</summary>
    public Task StartSingleNodeAsync(int id, string appendFsync) =>
        LaunchAsync(id, appendFsync, ["--peer-port", Text(_peerPorts[id - 1])]);

    /// <summary>Starts a new node that joins through <paramref name="seed"/> (lattice server --join).</summary>
    public Task StartJoiningNodeAsync(int id, int seed) =>
        LaunchAsync(id, null, ["--node-id", Text(id), "--join", $"127.0.0.1:{Text(_ports[seed - 1])}", "--peer-port", Text(_peerPorts[id - 1])]);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task LaunchAsync(int id, string? appendFsync, string[] arguments)
    {
        Invariant(_nodes[id - 1] is null, $"node {id} is already running");
        _nodes[id - 1] = await ServerProcess.StartAsync(new ServerStartOptions
        {
            Port = _ports[id - 1],
            DataDirectory = DataDirectory(id),
            AppendFsync = appendFsync,
            ConfigFileContents = _config,
            ExtraArguments = [.. arguments, .. _arguments],
        });
    }

    /// <summary>SIGKILL: no flush, no goodbye.</summary>
    public void Kill(int id)
    {
        ServerProcess node = Node(id);
        node.Kill();
        node.Dispose();
        _nodes[id - 1] = null;
    }

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(int id)
    {
        ServerProcess node = Node(id);
        int code = await node.StopAsync();
        node.Dispose();
        _nodes[id - 1] = null;
        return code;
    }

    public void Pause(int id) => Signal(id, NativeMethods.SigStop);

    public void Resume(int id) => Signal(id, NativeMethods.SigCont);

    /// <summary>INFO replication of a node as name → value; null when it does not answer in time.</summary>
    public Task<Dictionary<string, string>?> ReplicationInfoAsync(int id) => InfoAsync(id, "replication");

    /// <summary>One INFO section of a node as name → value; null when it does not answer in time.</summary>
    public async Task<Dictionary<string, string>?> InfoAsync(int id, string section)
    {
        try
        {
            using RespClient client = await RespClient.ConnectAsync(_ports[id - 1], TimeSpan.FromSeconds(2));
            client.ReplyTimeout = TimeSpan.FromSeconds(2);
            RespReply reply = await client.CommandAsync("INFO", section);
            var info = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in reply.Text.Split("\r\n"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    info[line[..colon]] = line[(colon + 1)..];
                }
            }

            return info;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until the running nodes among <paramref name="among"/> agree on one leader; returns its id.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan timeout, params int[] among)
    {
        int[] candidates = among.Length > 0 ? among : [.. Enumerable.Range(1, Count).Where(IsRunning)];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var leaders = new HashSet<string>();
            int answered = 0;
            foreach (int id in candidates)
            {
                if (IsRunning(id) && await ReplicationInfoAsync(id) is { } info && info.TryGetValue("raft_leader_id", out string? leader))
                {
                    answered++;
                    leaders.Add(leader);
                }
            }

            if (answered == candidates.Length && leaders.Count == 1 &&
                int.TryParse(leaders.First(), CultureInfo.InvariantCulture, out int agreed) && candidates.Contains(agreed))
            {
                return agreed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no agreed leader among nodes {string.Join(',', candidates)} within {timeout}\n{Outputs()}");
    }

    /// <summary>Waits until node <paramref name="id"/> has applied at least <paramref name="index"/>.</summary>
    public async Task WaitForAppliedAsync(int id, ulong index, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        ulong applied = 0;
        while (clock.Elapsed < timeout)
        {
            if (await ReplicationInfoAsync(id) is { } info && info.TryGetValue("raft_applied_index", out string? text))
            {
                applied = ulong.Parse(text, CultureInfo.InvariantCulture);
                if (applied >= index)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"node {id} applied {applied}, not {index}, within {timeout}\n{Outputs()}");
    }

    /// <summary>Every node's output, for failure messages.</summary>
    public string Outputs()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i] is { } node)
            {
                string output = node.Output;
                text.Append(CultureInfo.InvariantCulture, $"--- node {i + 1} ---\n").Append(output.Length > 6000 ? output[^6000..] : output);
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i] is { } node)
            {
                Signal(i + 1, NativeMethods.SigCont);
                await node.DisposeAsync();
                _nodes[i] = null;
            }
        }

        _root.Dispose();
    }

    private void Signal(int id, int signal)
    {
        if (_nodes[id - 1] is { HasExited: false } node)
        {
            _ = NativeMethods.Kill(node.Pid, signal);
        }
    }

    private static void Invariant(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
