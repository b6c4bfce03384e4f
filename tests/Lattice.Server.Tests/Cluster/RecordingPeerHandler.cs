using System.Collections.Concurrent;
using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>Keeps everything a transport delivers, for tests to poll.</summary>
internal sealed class RecordingPeerHandler : IPeerMessageHandler
{
    public ConcurrentQueue<RaftMessage> Messages { get; } = new();

    public ConcurrentQueue<(ulong From, byte Kind, byte[] Body)> Frames { get; } = new();

    public ConcurrentQueue<(ulong Peer, bool Connected)> ConnectionChanges { get; } = new();

    public void OnRaftMessage(in RaftMessage message) => Messages.Enqueue(message);

    public void OnPeerFrame(ulong from, byte kind, ReadOnlySpan<byte> body) => Frames.Enqueue((from, kind, body.ToArray()));

    public void OnPeerConnectionChanged(ulong peer, bool connected) => ConnectionChanges.Enqueue((peer, connected));

    public int CountFrom(ulong from)
    {
        int count = 0;
        foreach (RaftMessage message in Messages)
        {
            if (message.From == from)
            {
                count++;
            }
        }

        return count;
    }
}
