using System.Net.Sockets;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// Everything this node keeps for one peer: its address, the bounded queue of frames waiting for the socket, the
/// current connection and the loop that (re)connects and writes. The lower node id dials; the higher one waits for
/// the accepted connection. Sends append to <c>_pending</c> under the lock; the writer swaps it with <c>_spare</c>
/// and puts the whole batch on the socket in one write, so everything queued between flushes goes out together.
/// When the queue is full new sends are refused (the oldest frames are kept, so frames stay whole and in order).
/// </summary>
internal sealed class PeerLink
{
    private readonly PeerTransport _transport;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    /// <summary>A connection that lasted this long was healthy: the next dial starts the backoff over.</summary>
    private static readonly TimeSpan HealthyConnection = TimeSpan.FromSeconds(1);

    private PeerOutputBuffer _pending = new();
    private PeerOutputBuffer? _spare = new();
    private long _pendingSince;
    private PeerConnection? _connection;
    private string _host;
    private int _port;
    private int _wakeRequested;
    private bool _stopped;

    public PeerLink(PeerTransport transport, ulong peerId, string host, int port)
    {
        _transport = transport;
        PeerId = peerId;
        _host = host;
        _port = port;
    }

    public ulong PeerId { get; }

    /// <summary>Only the lower id dials, so each pair of nodes shares exactly one connection.</summary>
    public bool Dials => _transport.NodeId < PeerId;

    public PeerCounters Counters { get; } = new();

    public Task Running { get; private set; } = Task.CompletedTask;

    public void Start() => Running = Task.Run(RunAsync);

    public void SetAddress(string host, int port)
    {
        PeerConnection? stale = null;
        lock (_gate)
        {
            if (_host == host && _port == port)
            {
                return;
            }

            _host = host;
            _port = port;
            if (Dials)
            {
                stale = _connection;
            }
        }

        stale?.Close("peer address changed");
    }

    public bool TryEnqueueRaft(in RaftMessage message, int bodyBytes)
    {
        int frameBytes = PeerFrameFormat.HeaderBytes + bodyBytes;
        lock (_gate)
        {
            if (!HasRoomLocked(frameBytes))
            {
                return false;
            }

            Span<byte> frame = _pending.Reserve(frameBytes);
            PeerFrameFormat.WriteHeader(frame, (byte)PeerFrameKind.Raft, bodyBytes);
            RaftMessageCodec.Write(frame[PeerFrameFormat.HeaderBytes..], message);
            CommitLocked(frameBytes);
            return true;
        }
    }

    public bool TryEnqueueFrame(byte kind, ReadOnlySpan<byte> body)
    {
        int frameBytes = PeerFrameFormat.HeaderBytes + body.Length;
        lock (_gate)
        {
            if (!HasRoomLocked(frameBytes))
            {
                return false;
            }

            Span<byte> frame = _pending.Reserve(frameBytes);
            PeerFrameFormat.WriteHeader(frame, kind, body.Length);
            body.CopyTo(frame[PeerFrameFormat.HeaderBytes..]);
            CommitLocked(frameBytes);
            return true;
        }
    }

    /// <summary>Asks the writer to put queued frames on the socket; at most one wake is ever outstanding.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Release();
        }
    }

    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.WrittenBytes > 0;
            }
        }
    }

    /// <summary>Makes an accepted (or freshly dialed) connection current, closing any older one.</summary>
    public bool Attach(PeerConnection connection)
    {
        PeerConnection? older;
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            older = _connection;
            _connection = connection;
            connection.WasAttached = true;
        }

        older?.Close("replaced by a newer connection with the same peer");
        Counters.AddConnect();
        _transport.Totals.AddConnect();
        _transport.Log($"peer transport: node {_transport.NodeId} connected with peer {PeerId} ({connection.Remote})");
        _transport.NotifyConnectionChanged(PeerId, true);
        Wake();
        return true;
    }

    /// <summary>Forgets a closed connection; true when it was the current one (the peer is now disconnected).</summary>
    public bool Detach(PeerConnection connection)
    {
        lock (_gate)
        {
            if (_connection != connection)
            {
                return false;
            }

            _connection = null;
            return true;
        }
    }

    /// <summary>Stops the loop and closes the connection; queued frames are discarded.</summary>
    public void Stop(string reason)
    {
        PeerConnection? connection;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            connection = _connection;
        }

        _stop.Cancel();
        connection?.Close(reason);
    }

    private bool HasRoomLocked(int frameBytes)
    {
        // One frame always fits an empty queue, so a frame larger than the bound (but within the frame limit) can go.
        if (_stopped || (_pending.WrittenBytes > 0 && _pending.WrittenBytes + (long)frameBytes > _transport.Options.MaxQueuedBytesPerPeer))
        {
            Counters.AddDropped();
            _transport.Totals.AddDropped();
            return false;
        }

        return true;
    }

    private void CommitLocked(int frameBytes)
    {
        if (_pending.WrittenBytes == 0)
        {
            _pendingSince = _transport.Time.GetTimestamp();
        }

        _pending.Commit(frameBytes);
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            int failures = 0;
            while (!stop.IsCancellationRequested)
            {
                PeerConnection? connection = Dials ? await DialAsync(failures, stop).ConfigureAwait(false) : await WaitForAcceptedAsync(stop).ConfigureAwait(false);
                if (connection is null)
                {
                    if (Dials)
                    {
                        failures++;
                        await PauseAsync(_transport.ReconnectDelay(failures), stop).ConfigureAwait(false);
                    }

                    continue;
                }

                long connectedAt = _transport.Time.GetTimestamp();
                await WriteAsync(connection).ConfigureAwait(false);
                // A connection closed right after it opened (the peer refuses what we send) counts as a failed dial,
                // so the backoff grows instead of redialling every few milliseconds for ever.
                failures = _transport.Time.GetElapsedTime(connectedAt) < HealthyConnection ? failures + 1 : 0;
                if (Dials)
                {
                    await PauseAsync(_transport.ReconnectDelay(failures), stop).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // The writer has ended; senders see _stopped and no longer touch the buffers.
            lock (_gate)
            {
                _stopped = true;
                _pending.Release();
                _spare?.Release();
            }
        }
    }

    private async Task<PeerConnection?> WaitForAcceptedAsync(CancellationToken stop)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_connection is { IsClosed: false } current)
                {
                    return current;
                }
            }

            if (!await WaitWakeAsync(stop).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task<PeerConnection?> DialAsync(int failures, CancellationToken stop)
    {
        string host;
        int port;
        lock (_gate)
        {
            host = _host;
            port = _port;
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(_transport.Options.ConnectTimeout, _transport.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            byte[] hello = new byte[PeerFrameFormat.HelloFrameBytes];
            PeerFrameFormat.WriteHello(hello, _transport.Options.ClusterId, _transport.NodeId, PeerId);
            await PeerTransport.SendAllAsync(socket, hello, linked.Token).ConfigureAwait(false);
            if (!await PeerTransport.ReceiveExactlyAsync(socket, hello, linked.Token).ConfigureAwait(false))
            {
                return Refuse(socket, failures, "peer closed the connection during the handshake");
            }

            if (!PeerFrameFormat.TryReadHello(hello, out ulong clusterId, out ulong from, out ulong to, out string? error))
            {
                return Refuse(socket, failures, error);
            }

            if (clusterId != _transport.Options.ClusterId || from != PeerId || to != _transport.NodeId)
            {
                return Refuse(socket, failures, $"hello answer names cluster {clusterId}, from {from}, to {to}");
            }

            PeerConnection? connection = _transport.Register(socket);
            if (connection is null)
            {
                socket.Dispose();
                return null;
            }

            connection.PeerId = PeerId;
            if (!Attach(connection))
            {
                connection.Close("peer removed");
                return null;
            }

            connection.Receiving = _transport.ReceiveAsync(connection, this);
            return connection;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            return Refuse(socket, failures, e.Message);
        }
    }

    private PeerConnection? Refuse(Socket socket, int failures, string? reason)
    {
        socket.Dispose();
        // Only the first failure of a streak is logged, so a peer that is down does not flood the log.
        if (failures == 0 && !_stop.IsCancellationRequested)
        {
            _transport.Log($"peer transport: node {_transport.NodeId} could not connect to peer {PeerId} at {_host}:{_port}: {reason}; retrying with backoff");
        }

        return null;
    }

    private async Task WriteAsync(PeerConnection connection)
    {
        CancellationToken closing = connection.Closing;
        bool first = true;
        try
        {
            while (!closing.IsCancellationRequested)
            {
                // Right after connecting, frames queued while disconnected go out without waiting for a flush.
                if (!first && !await WaitWakeAsync(closing).ConfigureAwait(false))
                {
                    break;
                }

                first = false;
                TimeSpan delay = _transport.Faults.Delay;
                if (delay > TimeSpan.Zero)
                {
                    await HoldBackAsync(delay, closing).ConfigureAwait(false);
                }

                PeerOutputBuffer batch;
                lock (_gate)
                {
                    if (_pending.WrittenBytes == 0 || _spare is null)
                    {
                        continue;
                    }

                    batch = _pending;
                    _pending = _spare;
                    _spare = null;
                }

                try
                {
                    await PeerTransport.SendAllAsync(connection.Socket, batch.Written, closing).ConfigureAwait(false);
                    Counters.AddWrite(batch.Frames, batch.WrittenBytes);
                    _transport.Totals.AddWrite(batch.Frames, batch.WrittenBytes);
                }
                finally
                {
                    // Bytes of a failed write are lost with the connection; Raft resends what matters.
                    batch.Clear();
                    lock (_gate)
                    {
                        _spare = batch;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed while waiting or writing; its closer logged why.
        }
        catch (SocketException e)
        {
            connection.Close($"send failed: {e.SocketErrorCode}");
        }
        catch (ObjectDisposedException)
        {
            connection.Close("socket closed while sending");
        }
    }

    /// <summary>Fault seam: waits until the oldest queued frame has been queued for <paramref name="delay"/>.</summary>
    private async Task HoldBackAsync(TimeSpan delay, CancellationToken closing)
    {
        TimeSpan age;
        lock (_gate)
        {
            if (_pending.WrittenBytes == 0)
            {
                return;
            }

            age = _transport.Time.GetElapsedTime(_pendingSince);
        }

        if (age < delay)
        {
            await Task.Delay(delay - age, _transport.Time, closing).ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitWakeAsync(CancellationToken token)
    {
        try
        {
            await _wake.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        // Cleared before the queue is read, so a flush that lands after this point wakes the writer again.
        Volatile.Write(ref _wakeRequested, 0);
        return true;
    }

    private async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _transport.Time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
