using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// READONLY and READWRITE, as in Redis Cluster: READONLY lets this connection's reads be served from the node's own
/// replica without a read barrier (fast, possibly stale); READWRITE restores linearizable reads.
/// </summary>
internal static class ReplicaReadCommands
{
    public static void Register(ServerState server)
    {
        ServerCommands.Add(server, "readonly", 1, CommandFlags.Fast, (s, _) => Set(s, allowStale: true),
            "Enables possibly stale reads from this replica for the connection.", "", "cluster");
        ServerCommands.Add(server, "readwrite", 1, CommandFlags.Fast, (s, _) => Set(s, allowStale: false),
            "Restores linearizable reads for the connection.", "", "cluster");
    }

    private static void Set(ClientSession session, bool allowStale)
    {
        session.AllowStaleReads = allowStale;
        session.Reply.Ok();
    }
}
