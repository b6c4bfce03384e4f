using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lattice.Server;

/// <summary>
/// The node process: opens the data directory (recovery), listens for RESP clients (the node's own event loops, or
/// Kestrel where there is no epoll or client-transport says so), and on SIGTERM,
/// Ctrl-C or SHUTDOWN closes connections, flushes and fsyncs the log, and exits.
/// </summary>
public static class LatticeServer
{
    /// <summary>
    /// Event loops when io-threads is 0: one per two cores, up to this many. The other cores are left to the Raft
    /// thread, peers, the collector and (in the benchmarks) the clients; on the 2-core benchmark machine one loop
    /// beat two in every row measured (docs/performance.md), and the Raft cycle runs one at a time anyway.
    /// </summary>
    private const int MaxDefaultLoops = 4;

    /// <summary>
    /// Makes socket completions (the peer transport's; and clients' where Kestrel serves them) run on the socket
    /// engine's threads instead of the thread pool, and, without the node's own event loops, sets how many such
    /// threads there are (io-threads). The runtime reads both once, when the first socket is created, so the host
    /// calls this at the very start of the process.
    /// </summary>
    public static void ConfigureSocketThreads(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (options.IoThreads > 0 && !options.UsesEventLoops)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", ConfigValue.Format(options.IoThreads));
        }
    }

    /// <summary>A second SHUTDOWN can arrive as the process is already closing down.</summary>
    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(ServerOptions options, TextWriter log, CancellationToken stopping)
    {
        void Log(string message)
        {
            lock (log)
            {
                log.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss.fff} {message}");
                log.Flush();
            }
        }

        if (options.ValidateTestingFlags() is { } testingError)
        {
            throw new StartupFailedException(testingError);
        }

        // Test hooks may skew the wall clock (the log's own timestamps stay true, to line up with other logs).
        TimeProvider time = options.TestHooks
            ? new OffsetTimeProvider(TimeProvider.System, TimeSpan.FromMilliseconds(options.ClockOffsetMs))
            : TimeProvider.System;
        Log($"lattice {InfoCommand.LatticeVersion} starting: data dir {Path.GetFullPath(options.DataDirectory)}, appendfsync {ServerOptions.FormatFsync(options.AppendFsync)}");
        if (options.Unsafe != UnsafeModes.None)
        {
            string risk = options.Unsafe switch
            {
                UnsafeModes.StaleReads => "serve stale reads",
                UnsafeModes.EarlyAck => "lose acknowledged writes",
                _ => "lose acknowledged writes and serve stale reads",
            };
            Log($"WARNING: UNSAFE MODE {ServerOptions.FormatUnsafe(options.Unsafe)}: this node may {risk}; for testing the chaos harness only");
        }

        if (options.TestHooks)
        {
            Log($"WARNING: test hooks enabled (LATTICE TEST CLOCK-OFFSET, ISOLATE, HEAL); wall clock offset {options.ClockOffsetMs} ms; for testing only");
        }
        Cluster.ClusterOptions clusterOptions = ResolveCluster(options);
        IPAddress address = options.Bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Bind);
        if (!Cluster.ClusterOptions.IsMemberDirectory(options.DataDirectory))
        {
            // Opening the cluster records this node's address in a new data directory; a port that is taken must fail
            // the start before that, or a retry on another port is refused for disagreeing with a node that never ran.
            EnsurePortFree(address, options.Port);
        }

        Cluster.ClusterNode cluster = Cluster.ClusterNode.Open(clusterOptions, options, time, Log);
        // The client port is part of the node's address in the membership.
        options.Port = clusterOptions.Self.RespPort;
        if (clusterOptions.Members.Count == 1 && !await cluster.WaitUntilLeadingAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
        {
            Log("cluster: this single node has not elected itself within 5 s; clients get CLUSTERDOWN until it does");
        }

        try
        {
            using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            // SHUTDOWN calls this from a session (maybe holding the engine lock): stop from another thread.
            void RequestShutdown() => ThreadPool.QueueUserWorkItem(_ => CancelQuietly(shutdown));
            var state = new ServerState(cluster, options, time, Log, RequestShutdown);
            var handler = new RespConnectionHandler(state);
            if (options.UsesEventLoops)
            {
                await ServeWithEventLoopsAsync(options, state, handler, new IPEndPoint(address, options.Port), shutdown.Token).ConfigureAwait(false);
            }
            else
            {
                await ServeWithKestrelAsync(options, state, handler, address, shutdown).ConfigureAwait(false);
            }

            return 0;
        }
        finally
        {
            // Stops the Raft thread, then flushes and fsyncs the log.
            cluster.Dispose();
            Log("stopped: log flushed and synced");
        }
    }

    private static void EnsurePortFree(IPAddress address, int port)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new IOException("address already in use", e);
        }
    }

    /// <summary>
    /// Clients on the node's own event loops (Linux): one thread per loop owns its connections, runs their sessions
    /// inline, and ends each batch of events with the Raft cycle its writes asked for (see Network.EventLoop).
    /// </summary>
    private static async Task ServeWithEventLoopsAsync(ServerOptions options, ServerState state, RespConnectionHandler handler, IPEndPoint endPoint, CancellationToken shutdown)
    {
        Cluster.ClusterNode cluster = state.Cluster;
        int loops = options.IoThreads > 0 ? options.IoThreads : Math.Clamp(Environment.ProcessorCount / 2, 1, MaxDefaultLoops);
        using var listener = new Network.EventLoopListener(endPoint, loops, handler.OnConnectedAsync, RunDeferredCycle, state.Log);
        listener.Start();
        state.Log($"ready: accepting RESP connections on {options.Bind}:{options.Port} ({loops} event loop{(loops == 1 ? "" : "s")})");
        await WaitForShutdownAsync(shutdown).ConfigureAwait(false);
        state.Log("shutting down: closing connections");
        KillSessions(state);
        await listener.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);

        void RunDeferredCycle()
        {
            if (Cluster.CycleDeferral.TakeWanted())
            {
                cluster.RunDeferredCycle();
            }
        }
    }

    /// <summary>Clients through Kestrel's socket transport, where the node has no event loops of its own.</summary>
    private static async Task ServeWithKestrelAsync(ServerOptions options, ServerState state, RespConnectionHandler handler, IPAddress address, CancellationTokenSource shutdown)
    {
        // No configuration reload: its watcher would see every log write when the data directory is under the
        // working directory (measured: 5 % of the node's CPU under a write load).
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        // The node reports through its own log; connection errors are logged by the handler.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Sessions never block (writes wait on the Raft thread), so they run on the socket threads: no thread pool
        // hop per request (see ConfigureSocketThreads).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port, listen => listen.Run(handler.OnConnectedAsync));
        });
        await using WebApplication app = builder.Build();
        await app.StartAsync(shutdown.Token).ConfigureAwait(false);
        using CancellationTokenRegistration hostStopping = app.Lifetime.ApplicationStopping.Register(shutdown.Cancel);
        state.Log($"ready: accepting RESP connections on {options.Bind}:{options.Port} (kestrel)");
        await WaitForShutdownAsync(shutdown.Token).ConfigureAwait(false);
        state.Log("shutting down: closing connections");
        KillSessions(state);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task WaitForShutdownAsync(CancellationToken shutdown)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }

    private static void KillSessions(ServerState state)
    {
        foreach (ClientSession session in state.Clients.Snapshot())
        {
            session.Kill();
        }
    }

    /// <summary>The cluster options given, the membership the data directory holds, or a new cluster of one.</summary>
    public static Cluster.ClusterOptions ResolveCluster(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cluster is { } given)
        {
            return given;
        }

        if (Cluster.ClusterOptions.IsMemberDirectory(options.DataDirectory))
        {
            return options.Cluster = new Cluster.ClusterOptions { PeerPort = options.PeerPort };
        }

        if (Cluster.ClusterOptions.TrySingleNode(options, out Cluster.ClusterOptions? single) is { } error)
        {
            throw new StartupFailedException(error);
        }

        return options.Cluster = single!;
    }
}
