using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// Registers the connection and server commands. Those flagged NoMulti (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET)
/// act at once even inside MULTI; every other server command is refused inside a transaction.
/// </summary>
internal static class ServerCommands
{
    public static void Register(ServerState server)
    {
        ConnectionCommands.Register(server);
        ClientCommand.Register(server);
        CommandCommand.Register(server);
        InfoCommand.Register(server);
        ConfigCommand.Register(server);
        PersistenceCommands.Register(server);
        MemoryCommand.Register(server);
        ReplicaReadCommands.Register(server);
        LatticeCommand.Register(server);
        Add(server, "multi", 1, CommandFlags.NoMulti | CommandFlags.Fast, (s, _) => s.Multi(), "Starts a transaction.", "", "transactions");
        Add(server, "exec", 1, CommandFlags.NoMulti, (s, _) => s.Exec(), "Executes all commands in a transaction.", "", "transactions");
        Add(server, "discard", 1, CommandFlags.NoMulti | CommandFlags.Fast, (s, _) => s.Discard(), "Discards a transaction.", "", "transactions");
        Add(server, "watch", -2, CommandFlags.NoMulti | CommandFlags.Fast, (s, a) => s.Watch(a), "Monitors changes to keys to determine the execution of a transaction.",
            "key...", "transactions", firstKey: 1, lastKey: -1);
        Add(server, "unwatch", 1, CommandFlags.Fast, (s, _) => s.Unwatch(), "Forgets about watched keys of a transaction.", "", "transactions");
    }

    public static void Add(
        ServerState server,
        string name,
        int arity,
        CommandFlags flags,
        ServerCommandHandler handler,
        string summary,
        string syntax,
        string group,
        int firstKey = 0,
        int lastKey = 0,
        IReadOnlyList<SubcommandDoc>? subcommands = null)
    {
        server.Add(
            new CommandSpec
            {
                Name = name,
                Arity = arity,
                Flags = flags | CommandFlags.Server,
                Handler = RunsInSession,
                FirstKey = firstKey,
                LastKey = lastKey,
                Group = group,
                Summary = summary,
                Syntax = syntax,
                Subcommands = subcommands ?? [],
            },
            handler);
    }

    /// <summary>Server commands never reach the engine; the session dispatches them.</summary>
    private static void RunsInSession(CommandContext context, CommandArgs args) =>
        throw new InvalidOperationException("server commands are run by the session");
}
