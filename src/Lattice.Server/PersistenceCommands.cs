using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>SAVE, BGSAVE, LASTSAVE, TIME, SHUTDOWN.</summary>
internal static class PersistenceCommands
{
    public static void Register(ServerState server)
    {
        ServerCommands.Add(server, "save", 1, CommandFlags.Admin, Save, "Takes a snapshot and waits for it to be durable.", "server");
        ServerCommands.Add(server, "bgsave", -1, CommandFlags.Admin, BackgroundSave, "Takes a snapshot in the background.", "server");
        ServerCommands.Add(server, "lastsave", 1, CommandFlags.Fast, LastSave, "Returns the Unix time of the last successful snapshot.", "server");
        ServerCommands.Add(server, "time", 1, CommandFlags.Fast, Time, "Returns the server time.", "server");
        ServerCommands.Add(server, "shutdown", -1, CommandFlags.Admin | CommandFlags.NoMulti, Shutdown, "Flushes the log and stops the server.", "server");
    }

    /// <summary>A cluster node's snapshots belong to its Raft groups; SAVE and BGSAVE do not reach them yet.</summary>
    private static NodeStore? SingleNodeStore(ClientSession session)
    {
        if (session.Store is null)
        {
            session.Reply.Error("ERR SAVE, BGSAVE and LASTSAVE are not available on a cluster node yet");
        }

        return session.Store;
    }

    private static void LastSave(ClientSession session, CommandArgs args)
    {
        if (SingleNodeStore(session) is { } store)
        {
            session.Reply.Integer(store.LastSaveUnixSeconds);
        }
    }

    private static void Save(ClientSession session, CommandArgs args)
    {
        if (SingleNodeStore(session) is not { } store)
        {
            return;
        }

        session.EnsureEngine();
        bool started = store.TryStartSnapshot();
        Task snapshot = store.CurrentSnapshot;
        session.ReleaseEngine();
        if (!started)
        {
            session.Reply.Error("ERR Background save already in progress");
            return;
        }

        // SAVE blocks its caller (as in Redis); other clients keep being served meanwhile.
        snapshot.GetAwaiter().GetResult();
        if (store.LastSnapshotSucceeded)
        {
            session.Reply.Ok();
        }
        else
        {
            session.Reply.Error("ERR snapshot failed: see the server log");
        }
    }

    private static void BackgroundSave(ClientSession session, CommandArgs args)
    {
        if (args.Count > 2 || (args.Count == 2 && !args.Is(1, "SCHEDULE"u8)))
        {
            session.Reply.Error("ERR syntax error");
            return;
        }

        if (SingleNodeStore(session) is not { } store)
        {
            return;
        }

        session.EnsureEngine();
        bool started = store.TryStartSnapshot();
        session.ReleaseEngine();
        if (started)
        {
            session.Reply.SimpleString("Background saving started"u8);
        }
        else
        {
            session.Reply.Error("ERR Background save already in progress");
        }
    }

    private static void Time(ClientSession session, CommandArgs args)
    {
        long micros = (session.Server.Time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        session.Reply.ArrayHeader(2);
        session.Reply.BulkInteger(micros / 1_000_000);
        session.Reply.BulkInteger(micros % 1_000_000);
    }

    private static void Shutdown(ClientSession session, CommandArgs args)
    {
        for (int i = 1; i < args.Count; i++)
        {
            if (!args.Is(i, "NOSAVE"u8) && !args.Is(i, "SAVE"u8) && !args.Is(i, "NOW"u8) && !args.Is(i, "FORCE"u8))
            {
                session.Reply.Error("ERR syntax error");
                return;
            }
        }

        // Like Redis, no reply on success: the connection closes as the server stops (log flushed first).
        session.Server.Log($"shutdown requested by client {session.Id}");
        session.CloseAfterReply();
        session.Server.RequestShutdown();
    }
}
