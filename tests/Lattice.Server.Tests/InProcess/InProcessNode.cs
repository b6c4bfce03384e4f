using Lattice.Server;

namespace Lattice.Server.Tests.InProcess;

/// <summary>A node in this process on a temp data directory, with sessions over in-memory pipes (no sockets).</summary>
internal sealed class InProcessNode : IDisposable
{
    private readonly string _directory;

    public InProcessNode(AppendFsyncPolicy fsync = AppendFsyncPolicy.Always, Action<ServerOptions>? configure = null, string? directory = null)
    {
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "lattice-inproc-" + Guid.NewGuid().ToString("N"));
        Options = new ServerOptions { DataDirectory = _directory, AppendFsync = fsync, Port = 0 };
        configure?.Invoke(Options);
        Store = NodeStore.Open(Options, TimeProvider.System, line => Log.Add(line));
        State = new ServerState(Store, Options, TimeProvider.System, line => Log.Add(line), () => ShutdownRequested = true);
    }

    public ServerOptions Options { get; }

    public NodeStore Store { get; }

    internal ServerState State { get; }

    public string DataDirectory => _directory;

    public System.Collections.Concurrent.ConcurrentBag<string> Log { get; } = [];

    public bool ShutdownRequested { get; private set; }

    public InProcessClient Connect() => new(State);

    /// <summary>Flushes and closes the store but keeps the directory (for restart tests).</summary>
    public void Close()
    {
        Store.Shutdown();
        Store.Dispose();
    }

    public void Dispose()
    {
        Store.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
