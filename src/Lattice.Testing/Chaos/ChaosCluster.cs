using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lattice.Testing.Chaos;

/// <summary>
/// The nodes of a chaos run and every way the harness reaches them: starting and replacing processes, talking RESP
/// to a node, and cutting links, with iptables inside network namespaces or, where those are unavailable, through
/// each node's transport fault seam (LATTICE TEST ISOLATE, enabled by --test-hooks).
/// </summary>
public sealed class ChaosCluster : IDisposable
{
    private const int NamespaceClientPort = 7379;
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(3);

    private readonly ChaosOptions _options;
    private readonly NamespaceNetwork? _network;
    private readonly Dictionary<int, string[]> _lastArguments = [];
    private readonly Lock _gate = new();
    private ulong _lastNodeId;

    private ChaosCluster(ChaosOptions options, NamespaceNetwork? network, string networkDescription, ChaosNode[] nodes)
    {
        _options = options;
        _network = network;
        NetworkDescription = networkDescription;
        Nodes = nodes;
        _lastNodeId = (ulong)nodes.Length;
    }

    public ChaosNode[] Nodes { get; }

    public string NetworkDescription { get; }

    public bool UsesNamespaces => _network is not null;

    public static ChaosCluster Start(ChaosOptions options, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? reason = "--fault-seam was given";
        NamespaceNetwork? network = options.ForceFaultSeam ? null : NamespaceNetwork.TryCreate(options.Nodes, options.Seed, out reason);
        string description = network?.Description
            ?? $"loopback with the transport's fault seam for partitions (LATTICE TEST ISOLATE), not network namespaces: {reason}";
        var nodes = new ChaosNode[options.Nodes];
        var usedPorts = new HashSet<int>();
        try
        {
            Directory.CreateDirectory(Path.Combine(runDirectory, "nodes"));
            for (int slot = 0; slot < nodes.Length; slot++)
            {
                IPEndPoint endpoint;
                int peerPort;
                if (network is not null)
                {
                    endpoint = new IPEndPoint(NamespaceNetwork.NodeAddress(slot), NamespaceClientPort);
                    peerPort = NamespaceClientPort + 10000;
                }
                else
                {
                    endpoint = new IPEndPoint(IPAddress.Loopback, FreePort(usedPorts));
                    peerPort = FreePort(usedPorts);
                }

                string name = string.Create(CultureInfo.InvariantCulture, $"n{slot + 1}");
                nodes[slot] = new ChaosNode(
                    slot, (ulong)slot + 1, endpoint, peerPort, Path.Combine(runDirectory, "nodes", name + "-data"), Path.Combine(runDirectory, "nodes", name + ".log"));
            }

            var cluster = new ChaosCluster(options, network, description, nodes);
            string initialCluster = cluster.InitialCluster();
            foreach (ChaosNode node in nodes)
            {
                cluster.Launch(node, ["--node-id", node.NodeId.ToString(CultureInfo.InvariantCulture), "--initial-cluster", initialCluster]);
            }

            return cluster;
        }
        catch
        {
            foreach (ChaosNode? node in nodes)
            {
                node?.Dispose();
            }

            network?.Dispose();
            throw;
        }
    }

    public Socket CreateSocket() =>
        _network?.CreateClientSocket() ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public async Task<ChaosRespClient> ConnectAsync(int slot, CancellationToken cancellationToken) =>
        await ChaosRespClient.ConnectAsync(CreateSocket, Nodes[slot].ClientEndpoint, cancellationToken).ConfigureAwait(false);

    /// <summary>One command on a fresh connection; null when the node could not be reached in time.</summary>
    public async Task<RespReply?> CallAsync(int slot, string[] arguments, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await using ChaosRespClient client = await ConnectAsync(slot, deadline.Token).ConfigureAwait(false);
            return await client.CallAsync(arguments, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The fields of INFO replication, or null when the node did not answer.</summary>
    public async Task<Dictionary<string, string>?> InfoAsync(int slot)
    {
        RespReply? reply = await CallAsync(slot, ["INFO", "replication"], AdminTimeout).ConfigureAwait(false);
        if (reply?.Text is not { } text || reply.IsError)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..].TrimEnd('\r');
            }
        }

        return fields;
    }

    /// <summary>The slot of the node that says it leads with the highest term, or null.</summary>
    public async Task<int?> FindLeaderAsync()
    {
        int? leader = null;
        long bestTerm = -1;
        foreach (ChaosNode node in Nodes)
        {
            if (!node.IsRunning || node.IsPaused)
            {
                continue;
            }

            Dictionary<string, string>? info = await InfoAsync(node.Slot).ConfigureAwait(false);
            if (info is not null && info.GetValueOrDefault("raft_role") == "leader"
                && long.TryParse(info.GetValueOrDefault("raft_term"), CultureInfo.InvariantCulture, out long term) && term > bestTerm)
            {
                bestTerm = term;
                leader = node.Slot;
            }
        }

        return leader;
    }

    /// <summary>Waits until a write through some node succeeds; false when the limit passes first.</summary>
    public async Task<bool> WaitUntilWritableAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            foreach (ChaosNode node in Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (node.IsRunning && !node.IsPaused)
                {
                    RespReply? reply = await CallAsync(node.Slot, ["SET", "chaos:ready", "1"], AdminTimeout).ConfigureAwait(false);
                    if (reply is { Kind: RespReplyKind.SimpleString })
                    {
                        return true;
                    }
                }
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    public async Task PartitionAsync(Grudge grudge)
    {
        ArgumentNullException.ThrowIfNull(grudge);
        if (_network is not null)
        {
            await Task.Run(() => _network.Apply(grudge)).ConfigureAwait(false);
            return;
        }

        foreach (ChaosNode node in Nodes)
        {
            var arguments = new List<string> { "LATTICE", "TEST", "ISOLATE" };
            foreach (int other in grudge.DroppedBy(node.Slot))
            {
                arguments.Add(Nodes[other].NodeId.ToString(CultureInfo.InvariantCulture));
            }

            _ = await CallAsync(node.Slot, ["LATTICE", "TEST", "HEAL"], AdminTimeout).ConfigureAwait(false);
            if (arguments.Count > 3)
            {
                _ = await CallAsync(node.Slot, [.. arguments], AdminTimeout).ConfigureAwait(false);
            }
        }
    }

    public async Task HealNetworkAsync()
    {
        if (_network is not null)
        {
            await Task.Run(_network.Heal).ConfigureAwait(false);
            return;
        }

        foreach (ChaosNode node in Nodes)
        {
            _ = await CallAsync(node.Slot, ["LATTICE", "TEST", "HEAL"], AdminTimeout).ConfigureAwait(false);
        }
    }

    /// <summary>Skews the node's wall clock (a test hook of the node); false when it did not confirm.</summary>
    public async Task<bool> SetClockOffsetAsync(int slot, long milliseconds)
    {
        RespReply? reply = await CallAsync(
            slot, ["LATTICE", "TEST", "CLOCK-OFFSET", milliseconds.ToString(CultureInfo.InvariantCulture)], AdminTimeout).ConfigureAwait(false);
        return reply is { Kind: RespReplyKind.SimpleString };
    }

    /// <summary>Starts the slot's process again with the arguments it last ran with (its data stays).</summary>
    public void Restart(int slot)
    {
        string[] arguments;
        lock (_gate)
        {
            arguments = _lastArguments[slot];
        }

        Launch(Nodes[slot], arguments);
    }

    /// <summary>
    /// Removes the slot's member from the cluster (asking another node), and once that is acknowledged, wipes the
    /// node and starts it under a new id with --join, so it comes back as a learner and is promoted. Returns what
    /// happened, for the report.
    /// </summary>
    /// <param name="alreadyRemoved">The member was removed before (a removal that completed after the harness gave up on it).</param>
    public async Task<string> ReplaceAsync(int slot, int via, TimeSpan timeout, bool alreadyRemoved = false)
    {
        ChaosNode node = Nodes[slot];
        ulong oldId = node.NodeId;
        if (!alreadyRemoved)
        {
            RespReply? reply = await CallAsync(via, ["LATTICE", "REMOVE-NODE", oldId.ToString(CultureInfo.InvariantCulture)], timeout).ConfigureAwait(false);
            if (reply is { Kind: RespReplyKind.Error, Text: { } error } && error.Contains("refused:", StringComparison.Ordinal))
            {
                // The cluster judged the removal unsafe (too few reachable voters would remain): nothing changed.
                return $"remove {node.Name} (id {oldId}) via {Nodes[via].Name} refused ({reply}); node left as it was";
            }

            if (reply is not { Kind: RespReplyKind.SimpleString } && !await LeavesAsync(via, oldId, timeout).ConfigureAwait(false))
            {
                // Maybe still a member: wiping it could leave the cluster with a voter that never comes back.
                return $"remove {node.Name} (id {oldId}) via {Nodes[via].Name} not confirmed ({reply?.ToString() ?? "no reply"}); node left as it was";
            }
        }

        await Task.Run(node.Kill).ConfigureAwait(false);
        Directory.Delete(node.DataDirectory, recursive: true);
        ulong newId;
        lock (_gate)
        {
            newId = ++_lastNodeId;
        }

        node.NodeId = newId;
        IPEndPoint seed = Nodes[via].ClientEndpoint;
        Launch(node, [
            "--node-id", newId.ToString(CultureInfo.InvariantCulture),
            "--join", seed.ToString(),
            "--peer-port", node.PeerPort.ToString(CultureInfo.InvariantCulture)]);
        return $"{(alreadyRemoved ? "found" : "removed")} {node.Name} (id {oldId}){(alreadyRemoved ? " no longer a member" : " via " + Nodes[via].Name)}, wiped it, started it again as id {newId} joining through {Nodes[via].Name}";
    }

    /// <summary>An unconfirmed removal may still complete: watch the member list for a while.</summary>
    private async Task<bool> LeavesAsync(int via, ulong id, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await IsMemberAsync(via, id).ConfigureAwait(false) == false)
            {
                return true;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Whether the member list that <paramref name="slot"/> holds names <paramref name="id"/>; null when it did not say.</summary>
    public async Task<bool?> IsMemberAsync(int slot, ulong id) => (await MembersAsync(slot).ConfigureAwait(false))?.Contains(id);

    /// <summary>The member ids in <paramref name="slot"/>'s member list (LATTICE MEMBERS); null when it did not answer.</summary>
    public async Task<HashSet<ulong>?> MembersAsync(int slot)
    {
        RespReply? reply = await CallAsync(slot, ["LATTICE", "MEMBERS"], AdminTimeout).ConfigureAwait(false);
        if (reply is not { IsError: false, Text: { } members })
        {
            return null;
        }

        var ids = new HashSet<ulong>();
        foreach (string member in members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = member.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && ulong.TryParse(member.AsSpan(0, equals), NumberStyles.None, CultureInfo.InvariantCulture, out ulong id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public void Dispose()
    {
        foreach (ChaosNode node in Nodes)
        {
            node.Dispose();
        }

        _network?.Dispose();
    }

    private void Launch(ChaosNode node, string[] arguments)
    {
        lock (_gate)
        {
            _lastArguments[node.Slot] = arguments;
        }

        var start = new ProcessStartInfo(_options.NodeExecutable);
        foreach (string argument in _options.NodeExecutableArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("server");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--bind");
        start.ArgumentList.Add(node.ClientEndpoint.Address.ToString());
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(node.ClientEndpoint.Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(node.DataDirectory);
        if (_network is null || _options.Nemeses.HasFlag(ChaosNemesisKinds.Clock))
        {
            // Only when the run needs them: partitions without namespaces, and clock skew.
            start.ArgumentList.Add("--test-hooks");
        }

        if (_options.UnsafeMode is { } mode)
        {
            start.ArgumentList.Add("--unsafe");
            start.ArgumentList.Add(mode);
        }

        node.Start(_network?.Wrap(node.Slot, start) ?? start);
    }

    private string InitialCluster()
    {
        var members = new List<string>();
        foreach (ChaosNode node in Nodes)
        {
            members.Add(string.Create(CultureInfo.InvariantCulture, $"{node.NodeId}={node.ClientEndpoint}@{node.PeerPort}"));
        }

        return string.Join(',', members);
    }

    /// <summary>A port free now and not handed out before in this cluster (the OS may offer a released one again).</summary>
    private static int FreePort(HashSet<int> used)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (used.Add(port))
            {
                return port;
            }
        }
    }
}
