using System.Collections.Concurrent;
using System.Net;
using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>A started transport on loopback with a recording handler and a captured log.</summary>
internal sealed class TransportNode : IDisposable
{
    public const ulong ClusterId = 77;

    public TransportNode(ulong nodeId, int port = 0, Func<PeerTransportOptions, PeerTransportOptions>? configure = null, ulong clusterId = ClusterId)
    {
        var options = new PeerTransportOptions
        {
            NodeId = nodeId,
            ClusterId = clusterId,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(20),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        };
        Options = configure is null ? options : configure(options);
        Transport = new PeerTransport(Options, Handler, TimeProvider.System, Log.Enqueue);
        Transport.Start();
    }

    public PeerTransportOptions Options { get; }

    public RecordingPeerHandler Handler { get; } = new();

    public ConcurrentQueue<string> Log { get; } = new();

    public PeerTransport Transport { get; }

    public ulong Id => Options.NodeId;

    public int Port => Transport.ListenEndPoint.Port;

    public void Knows(TransportNode other) => Transport.SetPeer(other.Id, "127.0.0.1", other.Port);

    public bool LogContains(string text)
    {
        foreach (string line in Log)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A heartbeat-shaped message to <paramref name="to"/>; <paramref name="sequence"/> rides in Index.</summary>
    public RaftMessage Heartbeat(ulong to, ulong sequence) =>
        new() { GroupId = 1, Type = MessageType.Heartbeat, From = Id, To = to, Term = 3, Index = sequence, Commit = 2 };

    /// <summary>Sends and flushes until the other side has received one more message from this node.</summary>
    public void SendUntilDelivered(TransportNode to)
    {
        int before = to.Handler.CountFrom(Id);
        Poll.Until(() =>
        {
            Transport.Send(Heartbeat(to.Id, 1));
            Transport.Flush();
            return Poll.Within(TimeSpan.FromMilliseconds(200), () => to.Handler.CountFrom(Id) > before);
        }, $"a message from {Id} to reach {to.Id}");
    }

    public void Dispose() => Transport.Dispose();
}
