namespace Lattice.Server;

/// <summary>Counters INFO reports; updated with Interlocked, read without a lock.</summary>
internal sealed class ServerStats
{
    private long _commandsProcessed;
    private long _connectionsReceived;
    private long _connectionsRejected;
    private long _netInputBytes;
    private long _netOutputBytes;
    private long _protocolErrors;

    public long CommandsProcessed => Volatile.Read(ref _commandsProcessed);

    public long ConnectionsReceived => Volatile.Read(ref _connectionsReceived);

    public long ConnectionsRejected => Volatile.Read(ref _connectionsRejected);

    public long NetInputBytes => Volatile.Read(ref _netInputBytes);

    public long NetOutputBytes => Volatile.Read(ref _netOutputBytes);

    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    public void AddCommands(long count) => Interlocked.Add(ref _commandsProcessed, count);

    public void AddConnection() => Interlocked.Increment(ref _connectionsReceived);

    public void AddRejectedConnection() => Interlocked.Increment(ref _connectionsRejected);

    public void AddInput(long bytes) => Interlocked.Add(ref _netInputBytes, bytes);

    public void AddOutput(long bytes) => Interlocked.Add(ref _netOutputBytes, bytes);

    public void AddProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void Reset()
    {
        Volatile.Write(ref _commandsProcessed, 0);
        Volatile.Write(ref _connectionsReceived, 0);
        Volatile.Write(ref _connectionsRejected, 0);
        Volatile.Write(ref _netInputBytes, 0);
        Volatile.Write(ref _netOutputBytes, 0);
        Volatile.Write(ref _protocolErrors, 0);
    }
}
