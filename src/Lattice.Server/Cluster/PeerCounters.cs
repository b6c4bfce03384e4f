namespace Lattice.Server.Cluster;

/// <summary>Live counters behind <see cref="PeerTransportStats"/>; updated with interlocked adds from any thread.</summary>
internal sealed class PeerCounters
{
    private long _framesSent;
    private long _bytesSent;
    private long _socketWrites;
    private long _framesReceived;
    private long _framesDropped;
    private long _connects;
    private long _disconnects;

    public void AddWrite(int frames, int bytes)
    {
        Interlocked.Add(ref _framesSent, frames);
        Interlocked.Add(ref _bytesSent, bytes);
        Interlocked.Increment(ref _socketWrites);
    }

    public void AddReceived() => Interlocked.Increment(ref _framesReceived);

    public void AddDropped() => Interlocked.Increment(ref _framesDropped);

    public void AddConnect() => Interlocked.Increment(ref _connects);

    public void AddDisconnect() => Interlocked.Increment(ref _disconnects);

    public PeerTransportStats Snapshot() => new(
        Interlocked.Read(ref _framesSent),
        Interlocked.Read(ref _bytesSent),
        Interlocked.Read(ref _socketWrites),
        Interlocked.Read(ref _framesReceived),
        Interlocked.Read(ref _framesDropped),
        Interlocked.Read(ref _connects),
        Interlocked.Read(ref _disconnects));
}
