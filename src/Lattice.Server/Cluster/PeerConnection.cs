using System.Net.Sockets;

namespace Lattice.Server.Cluster;

/// <summary>
/// One TCP connection to a peer, both directions. Closing is idempotent and reports the reason exactly once,
/// so whichever side notices a failure first (reader, writer, replacement, shutdown) names it.
/// </summary>
internal sealed class PeerConnection
{
    private readonly CancellationTokenSource _closing = new();
    private readonly Action<PeerConnection, string> _onClosed;
    private int _closed;

    public PeerConnection(Socket socket, Action<PeerConnection, string> onClosed)
    {
        Socket = socket;
        // Captured now: a disposed socket can no longer report its endpoint for the close log.
        Remote = socket.RemoteEndPoint?.ToString() ?? "unknown";
        _onClosed = onClosed;
        Closing = _closing.Token;
    }

    public Socket Socket { get; }

    public string Remote { get; }

    /// <summary>The peer's node id once the Hello exchange succeeded; 0 before.</summary>
    public ulong PeerId { get; set; }

    /// <summary>Set when the connection became a link's current connection (counts as a connect).</summary>
    public bool WasAttached { get; set; }

    /// <summary>Cancelled when the connection closes, so a writer waiting on it wakes up.</summary>
    public CancellationToken Closing { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The handshake and receive loop of this connection.</summary>
    public Task Receiving { get; set; } = Task.CompletedTask;

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        Socket.Dispose();
        _onClosed(this, reason);
    }
}
