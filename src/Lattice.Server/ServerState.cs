using Lattice.Engine;

namespace Lattice.Server;

/// <summary>What every session shares: the store, the settings, the client list, counters and the server commands.</summary>
internal sealed class ServerState
{
    private readonly Dictionary<CommandSpec, ServerCommandHandler> _handlers = [];

    public ServerState(NodeStore store, ServerOptions options, TimeProvider time, Action<string> log, Action requestShutdown)
    {
        Store = store;
        Options = options;
        Time = time;
        Log = log;
        RequestShutdown = requestShutdown;
        StartedAt = time.GetUtcNow();
        ServerCommands.Register(this);
    }

    public NodeStore Store { get; }

    public ServerOptions Options { get; }

    public TimeProvider Time { get; }

    public Action<string> Log { get; }

    public Action RequestShutdown { get; }

    public DateTimeOffset StartedAt { get; }

    public ServerStats Stats { get; } = new();

    public ClientRegistry Clients { get; } = new();

    /// <summary>Connection and server commands (the engine's table holds the data commands).</summary>
    public CommandTable Commands { get; } = new();

    public void Add(CommandSpec spec, ServerCommandHandler handler)
    {
        Commands.Add(spec);
        _handlers.Add(spec, handler);
    }

    public ServerCommandHandler HandlerFor(CommandSpec spec) => _handlers[spec];
}
