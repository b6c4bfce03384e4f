using Lattice.Engine;
using Lattice.Server;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.InProcess;

/// <summary>
/// A single node (a cluster of one) in this process on a temp data directory, with sessions over in-memory pipes
/// (no client sockets; the peer listener is on a free port).
/// </summary>
internal sealed class InProcessNode : IDisposable
{
    private readonly string _directory;
    private bool _closed;

    public InProcessNode(AppendFsyncPolicy fsync = AppendFsyncPolicy.Always, Action<ServerOptions>? configure = null, string? directory = null)
    {
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "lattice-inproc-" + Guid.NewGuid().ToString("N"));
        var ports = new HashSet<int>();
        Options = new ServerOptions
        {
            DataDirectory = _directory, AppendFsync = fsync, Port = FreePort.PickDistinct(ports), PeerPort = FreePort.PickDistinct(ports),
        };
        configure?.Invoke(Options);
        Cluster = ClusterNode.Open(LatticeServer.ResolveCluster(Options), Options, TimeProvider.System, line => Log.Add(line));
        Assert.True(Cluster.WaitUntilLeadingAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult(), "a single node elects itself");
        State = new ServerState(Cluster, Options, TimeProvider.System, line => Log.Add(line), () => ShutdownRequested = true);
    }

    public ServerOptions Options { get; }

    public ClusterNode Cluster { get; }

    /// <summary>The applied keyspace (read it only while no client writes).</summary>
    public Database Database => Cluster.Keyspace.Database;

    internal ServerState State { get; }

    public string DataDirectory => _directory;

    public System.Collections.Concurrent.ConcurrentBag<string> Log { get; } = [];

    public bool ShutdownRequested { get; private set; }

    public InProcessClient Connect() => new(State);

    /// <summary>Waits until no snapshot is being written.</summary>
    public async Task WaitForSnapshotAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Cluster.SnapshotInProgress)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the snapshot finished within 30 s");
            await Task.Delay(5);
        }
    }

    /// <summary>Stops the node (log flushed and synced) but keeps the directory (for restart tests).</summary>
    public void Close()
    {
        if (!_closed)
        {
            _closed = true;
            Cluster.Dispose();
        }
    }

    public void Dispose()
    {
        Close();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
