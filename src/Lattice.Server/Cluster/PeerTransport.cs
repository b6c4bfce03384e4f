using System.Net;
using System.Net.Sockets;
using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// Node-to-node TCP transport for Raft messages and application frames. One connection per pair of nodes (the
/// lower id dials), framed as <see cref="PeerFrameFormat"/> describes. Sends serialize at once into a bounded
/// per-peer queue and return; <see cref="Flush"/> wakes the writers, each of which puts its whole queue on the
/// socket in one write. Anything malformed from the network closes that connection with a logged reason.
/// </summary>
public sealed partial class PeerTransport : IDisposable
{
    /// <summary>Connections that have not finished the Hello exchange; more are closed at once.</summary>
    private const int MaxHandshakingConnections = 64;

    private static readonly Dictionary<ulong, PeerLink> NoPeers = [];

    private readonly IPeerMessageHandler _handler;
    private readonly Action<string> _log;
    private readonly Lock _peersGate = new();
    private readonly Lock _connectionsGate = new();
    private readonly Lock _randomGate = new();
    private readonly HashSet<PeerConnection> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private DeterministicRandom _random;

    /// <summary>Replaced whole on every change, so senders read it without a lock.</summary>
    private Dictionary<ulong, PeerLink> _peers = NoPeers;
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private int _handshaking;
    private bool _started;
    private bool _disposed;

    public PeerTransport(PeerTransportOptions options, IPeerMessageHandler handler, TimeProvider time, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        Options = options;
        _handler = handler;
        Time = time;
        _log = log;
        _random = new DeterministicRandom(options.RandomSeed ^ (options.NodeId * 0x9E3779B97F4A7C15UL));
        Faults = new PeerFaults(options.RandomSeed ^ options.NodeId ^ 0x5DEECE66DUL);
        ListenEndPoint = options.ListenEndPoint;
    }

    public ulong NodeId => Options.NodeId;

    /// <summary>The bound endpoint after <see cref="Start"/> (the actual port when the options said 0).</summary>
    public IPEndPoint ListenEndPoint { get; private set; }

    public PeerFaults Faults { get; }

    internal PeerTransportOptions Options { get; }

    internal TimeProvider Time { get; }

    internal PeerCounters Totals { get; } = new();

    /// <summary>Binds the listener, starts accepting, and starts the links of peers added so far.</summary>
    public void Start()
    {
        Dictionary<ulong, PeerLink> peers;
        lock (_peersGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("peer transport already started");
            }

            var listener = new Socket(Options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // No ReuseAddress: on Linux it also sets SO_REUSEPORT, and a second node could then bind the same peer
                // port and take some of its connections. The runtime already lets a restarted node bind again while old
                // connections linger in TIME_WAIT (A_restarted_acceptor_on_the_same_port_is_reconnected).
                listener.Bind(Options.ListenEndPoint);
                listener.Listen(128);
            }
            catch
            {
                listener.Dispose();
                throw;
            }

            _listener = listener;
            ListenEndPoint = (IPEndPoint)listener.LocalEndPoint!;
            _started = true;
            peers = _peers;
            _accepting = Task.Run(() => AcceptLoopAsync(listener, _stop.Token));
        }

        foreach (PeerLink link in peers.Values)
        {
            link.Start();
        }

        Log($"peer transport: node {NodeId} listening on {ListenEndPoint}");
    }

    /// <summary>Adds a peer or changes its address (a dialed connection to the old address is closed).</summary>
    public void SetPeer(ulong nodeId, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (nodeId == 0 || nodeId == NodeId)
        {
            throw new ArgumentException($"peer id {nodeId} must be non-zero and not this node's id", nameof(nodeId));
        }

        PeerLink? added = null;
        lock (_peersGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_peers.TryGetValue(nodeId, out PeerLink? existing))
            {
                existing.SetAddress(host, port);
                return;
            }

            added = new PeerLink(this, nodeId, host, port);
            _peers = new Dictionary<ulong, PeerLink>(_peers) { [nodeId] = added };
            if (_started)
            {
                added.Start();
            }
        }
    }

    /// <summary>Drops the peer's connection and queued frames; later sends to it are refused.</summary>
    public void RemovePeer(ulong nodeId)
    {
        PeerLink? removed;
        lock (_peersGate)
        {
            if (!_peers.TryGetValue(nodeId, out removed))
            {
                return;
            }

            var next = new Dictionary<ulong, PeerLink>(_peers);
            next.Remove(nodeId);
            _peers = next;
        }

        removed.Stop("peer removed");
    }

    /// <summary>
    /// Serializes the message into the queue of peer <c>message.To</c> (so the caller may reuse its buffers at once).
    /// False when dropped: unknown peer, queue full, too large a frame, or the fault seam. Raft retries.
    /// </summary>
    public bool Send(in RaftMessage message)
    {
        Invariant.Check(RaftMessageCodec.IsWireType((byte)message.Type), "only wire message types are sent");
        PeerLink? link = FindSendTarget(message.To);
        if (link is null)
        {
            return false;
        }

        int bodyBytes = RaftMessageCodec.MeasureBytes(message);
        if (!FitsFrame(link, bodyBytes))
        {
            return false;
        }

        return link.TryEnqueueRaft(message, bodyBytes);
    }

    /// <summary>Queues an application frame (kind 16 and up) for peer <paramref name="to"/>; false when dropped.</summary>
    public bool SendFrame(ulong to, byte kind, ReadOnlySpan<byte> body)
    {
        if (kind < (byte)PeerFrameKind.FirstApplication)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), $"application frame kinds start at {(byte)PeerFrameKind.FirstApplication}");
        }

        PeerLink? link = FindSendTarget(to);
        if (link is null || !FitsFrame(link, body.Length))
        {
            return false;
        }

        return link.TryEnqueueFrame(kind, body);
    }

    /// <summary>Wakes the writer of every peer with queued frames; each sends its whole queue in one write.</summary>
    public void Flush()
    {
        foreach (PeerLink link in _peers.Values)
        {
            if (link.HasPending)
            {
                link.Wake();
            }
        }
    }

    /// <summary>Counters summed over all peers (including removed ones).</summary>
    public PeerTransportStats GetStats() => Totals.Snapshot();

    /// <summary>Counters of one current peer; zeros for an unknown peer.</summary>
    public PeerTransportStats GetStats(ulong peer) =>
        _peers.TryGetValue(peer, out PeerLink? link) ? link.Counters.Snapshot() : default;

    public void Dispose()
    {
        Dictionary<ulong, PeerLink> peers;
        lock (_peersGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            peers = _peers;
            _peers = NoPeers;
        }

        _stop.Cancel();
        _listener?.Dispose();
        foreach (PeerLink link in peers.Values)
        {
            link.Stop("transport disposed");
        }

        PeerConnection[] connections;
        lock (_connectionsGate)
        {
            connections = new PeerConnection[_connections.Count];
            _connections.CopyTo(connections);
        }

        var tasks = new List<Task>(peers.Count + connections.Length + 1) { _accepting };
        foreach (PeerConnection connection in connections)
        {
            connection.Close("transport disposed");
            tasks.Add(connection.Receiving);
        }

        foreach (PeerLink link in peers.Values)
        {
            tasks.Add(link.Running);
        }

        // Loops end on cancellation and closed sockets; the bound only guards against a handler that never returns.
        bool stopped;
        try
        {
            stopped = Task.WaitAll([.. tasks], TimeSpan.FromSeconds(30));
        }
        catch (AggregateException e)
        {
            // A loop that failed is over too; the node's own shutdown (waits answered, log synced) must still run.
            Log($"peer transport: node {NodeId}: a loop had failed: {e.InnerException?.Message}");
            stopped = true;
        }

        if (stopped)
        {
            _stop.Dispose();
        }
        else
        {
            Log($"peer transport: node {NodeId} gave up waiting for its loops to stop");
        }
    }

    internal void Log(string message) => _log(message);

    /// <summary>Exponential backoff from the minimum, capped at the maximum, with seeded jitter of up to half.</summary>
    internal TimeSpan ReconnectDelay(int failures)
    {
        double baseTicks = Options.ReconnectDelayMin.Ticks * Math.Pow(2, Math.Min(failures, 30));
        baseTicks = Math.Min(baseTicks, Options.ReconnectDelayMax.Ticks);
        double fraction;
        lock (_randomGate)
        {
            fraction = _random.NextDouble();
        }

        double ticks = (baseTicks / 2) + (baseTicks / 2 * fraction);
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, Options.ReconnectDelayMin.Ticks, Options.ReconnectDelayMax.Ticks));
    }

    internal void NotifyConnectionChanged(ulong peer, bool connected)
    {
        try
        {
            _handler.OnPeerConnectionChanged(peer, connected);
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            Log($"peer transport: connection-changed handler for peer {peer} failed: {e}");
        }
    }

    /// <summary>Tracks a new connection so Dispose can close it; null once disposed.</summary>
    internal PeerConnection? Register(Socket socket)
    {
        lock (_connectionsGate)
        {
            if (_stop.IsCancellationRequested)
            {
                return null;
            }

            var connection = new PeerConnection(socket, OnConnectionClosed);
            _connections.Add(connection);
            return connection;
        }
    }

    private PeerLink? FindSendTarget(ulong peer)
    {
        if (!_peers.TryGetValue(peer, out PeerLink? link))
        {
            Totals.AddDropped();
            return null;
        }

        if (Faults.ShouldDropOutgoing(peer))
        {
            link.Counters.AddDropped();
            Totals.AddDropped();
            return null;
        }

        return link;
    }

    private bool FitsFrame(PeerLink link, int bodyBytes)
    {
        // The frame length counts version and kind as well as the body.
        if ((long)bodyBytes + 2 <= Options.MaxFrameBytes)
        {
            return true;
        }

        link.Counters.AddDropped();
        Totals.AddDropped();
        Log($"peer transport: dropped a frame of {bodyBytes} bytes to peer {link.PeerId}: over the {Options.MaxFrameBytes} byte frame limit");
        return false;
    }

    private void OnConnectionClosed(PeerConnection connection, string reason)
    {
        lock (_connectionsGate)
        {
            _connections.Remove(connection);
        }

        ulong peer = connection.PeerId;
        Log(peer != 0
            ? $"peer transport: node {NodeId} closed connection with peer {peer} ({connection.Remote}): {reason}"
            : $"peer transport: node {NodeId} closed connection from {connection.Remote}: {reason}");
        if (!connection.WasAttached)
        {
            return;
        }

        Totals.AddDisconnect();
        if (_peers.TryGetValue(peer, out PeerLink? link))
        {
            link.Counters.AddDisconnect();
            if (link.Detach(connection))
            {
                NotifyConnectionChanged(peer, false);
            }
        }
    }
}
