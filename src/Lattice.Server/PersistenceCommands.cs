using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>SAVE, BGSAVE, LASTSAVE, TIME, SHUTDOWN.</summary>
internal static class PersistenceCommands
{
    public static void Register(ServerState server)
    {
        ServerCommands.Add(server, "save", 1, CommandFlags.Admin, Save, "Takes a snapshot and waits for it to be durable.", "", "server");
        ServerCommands.Add(server, "bgsave", -1, CommandFlags.Admin, BackgroundSave, "Takes a snapshot in the background.", "[SCHEDULE]", "server");
        ServerCommands.Add(server, "lastsave", 1, CommandFlags.Fast, LastSave, "Returns the Unix time of the last successful snapshot.",
            "", "server");
        ServerCommands.Add(server, "time", 1, CommandFlags.Fast, Time, "Returns the server time.", "", "server");
        ServerCommands.Add(server, "shutdown", -1, CommandFlags.Admin | CommandFlags.NoMulti, Shutdown, "Flushes the log and stops the server.",
            "nosave_save=[NOSAVE | SAVE] [NOW] [FORCE]", "server");
    }

    private const string SaveInProgress = "ERR Background save already in progress";

    private static void LastSave(ClientSession session, CommandArgs args) =>
        session.Reply.Integer(session.Server.Cluster.LastSaveUnixSeconds);

    /// <summary>Snapshots every group this node holds; the reply waits for the files (other clients go on).</summary>
    private static void Save(ClientSession session, CommandArgs args)
    {
        if (session.Server.Cluster.StartSave() is not { } save)
        {
            session.Reply.Error(SaveInProgress);
            return;
        }

        session.ReplyWhenDone(save.ContinueWith(
            static done => done.IsCompletedSuccessfully && done.Result ? null : "ERR snapshot failed: see the server log",
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
    }

    private static void BackgroundSave(ClientSession session, CommandArgs args)
    {
        if (args.Count > 2 || (args.Count == 2 && !args.Is(1, "SCHEDULE"u8)))
        {
            session.Reply.Error("ERR syntax error");
            return;
        }

        if (session.Server.Cluster.StartSave() is null)
        {
            session.Reply.Error(SaveInProgress);
            return;
        }

        session.Reply.SimpleString("Background saving started"u8);
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
