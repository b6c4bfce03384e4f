using Lattice.Engine;

namespace Lattice.Server;

/// <summary>What every session shares: the cluster node, the settings, the client list, counters and the server commands.</summary>
internal sealed class ServerState
{
    private readonly Dictionary<CommandSpec, ServerCommandHandler> _handlers = [];

    public ServerState(Cluster.ClusterNode cluster, ServerOptions options, TimeProvider time, Action<string> log, Action requestShutdown)
    {
        Cluster = cluster;
        Keyspace = cluster.Keyspace;
        Options = options;
        Time = time;
        Log = log;
        RequestShutdown = requestShutdown;
        StartedAt = time.GetUtcNow();
        ServerCommands.Register(this);
    }

    /// <summary>The node's Raft groups (one member when started as a single node).</summary>
    public Cluster.ClusterNode Cluster { get; }

    /// <summary>The data sessions read: this node's replica of keyspace 0.</summary>
    public IKeyspace Keyspace { get; }

    public ServerOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The skewable wall clock when the node runs with --test-hooks; null otherwise.</summary>
    public OffsetTimeProvider? TestClock => Options.TestHooks ? Time as OffsetTimeProvider : null;

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
