using System.Collections.Concurrent;

namespace Lattice.Server;

/// <summary>The connected clients, by id (CLIENT LIST, CLIENT KILL, INFO clients).</summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<long, ClientSession> _clients = new();
    private long _lastId;

    public int Count => _clients.Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    public void Add(ClientSession session) => _clients[session.Id] = session;

    public void Remove(ClientSession session) => _clients.TryRemove(session.Id, out _);

    /// <summary>A point-in-time copy, ordered by id.</summary>
    public List<ClientSession> Snapshot()
    {
        var list = new List<ClientSession>(_clients.Values);
        list.Sort((a, b) => a.Id.CompareTo(b.Id));
        return list;
    }
}
