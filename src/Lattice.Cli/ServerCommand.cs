using System.Runtime.InteropServices;
using Lattice.Server;
using Lattice.Server.Cluster;
using Lattice.Storage;

namespace Lattice.Cli;

/// <summary><c>lattice server</c> and <c>lattice dev</c>: parse flags, start the node, stop cleanly on SIGTERM/Ctrl-C.</summary>
internal static class ServerCommand
{
    public const string Usage = """
        usage: lattice server [--port P] [--data-dir D] [--bind ADDR] [--appendfsync always|everysec|no] [--config FILE]
                              [--peer-port P]
                              [--node-id N --initial-cluster ID=HOST:PORT[@PEERPORT],...]
                              [--node-id N --join HOST:PORT]
                              [--unsafe MODE] [--test-hooks [--clock-offset-ms N]]   (testing only)

          --port P          TCP port for Redis clients (default 7379)
          --data-dir D      where the log and snapshots live (default ./lattice-data); created if missing
          --bind ADDR       address to listen on (default 127.0.0.1)
          --appendfsync X   always   (default) a write is acknowledged after its log record is fsynced
                            everysec acknowledged once written to the OS; fsync once a second
                            no       acknowledged once written to the OS; the OS decides when to sync
                            (everysec and no apply while the node is a cluster of one; with more members
                            every write is fsynced, as Raft needs)
          --config FILE     redis.conf-style settings, one "name value" per line (see docs/operations.md);
                            flags given on the command line win over the file
          --peer-port P     port other nodes reach this one on (default the client port + 10000)

        A node started without the options below is a cluster of one: the same Raft write path, answering on
        its own. Other nodes can --join it later.

        cluster (Raft-replicated; every write is fsynced on a majority before it is acknowledged):
          --node-id N             this node's id in the cluster list
          --initial-cluster LIST  the members the cluster starts with, e.g.
                                  1=127.0.0.1:7379,2=127.0.0.1:7380,3=127.0.0.1:7381
                                  (peers talk on PEERPORT, default the client port + 10000). Read on first
                                  start only: a restarted node finds its membership in its data directory.
          --join HOST:PORT        start a new node (empty data directory) and add it to the cluster that
                                  node belongs to: it joins as a learner, catches up, then becomes a voter.
                                  Its address is --bind:--port; peers reach it on --peer-port.

        testing only (for the chaos harness; never on a node that holds data you care about):
          --unsafe MODE[,MODE]    run with a deliberate consistency bug, so the harness can show it catches it
                                  (the node logs a loud warning and INFO server shows unsafe_mode):
                                  stale-reads  strong reads are served from this node's state with no read
                                               barrier, as if every connection had sent READONLY
                                  early-ack    the leader applies and acknowledges a write once it is in its own
                                               log, before a majority has it: acknowledged writes can be lost
          --test-hooks            accept LATTICE TEST commands on this node (local, not replicated):
                                  CLOCK-OFFSET ms     skew the node's wall clock by ms (within a day either way)
                                  ISOLATE id [id ...] drop all peer traffic to and from those members
                                  HEAL [id ...]       undo ISOLATE for those members (all when none given)
          --clock-offset-ms N     start with the wall clock skewed by N ms (needs --test-hooks); only the
                                  wall clock moves: Raft timing and timeouts use the monotonic clock

        Connect with any Redis client, e.g. redis-cli -p 7379. Stop with Ctrl-C or SIGTERM: the log is flushed
        and synced before the process exits.
        """;

    public static int Run(string[] args, bool developerDefaults)
    {
        var options = new ServerOptions();
        if (developerDefaults)
        {
            options.DataDirectory = Path.Combine("lattice-data", "dev");
        }

        string? error = Parse(args, options, out bool help, out bool portGiven);
        if (help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        error ??= options.Validate();
        try
        {
            error ??= ResolveCluster(options, portGiven);
        }
        catch (StartupFailedException e)
        {
            Console.Error.WriteLine($"lattice server: cannot start: {e.Message}");
            return 1;
        }

        error ??= options.ValidateTestingFlags();
        if (error is not null)
        {
            // The one line that says what is wrong, not buried above the whole help text.
            Console.Error.WriteLine($"lattice server: {error}");
            Console.Error.WriteLine("(lattice server --help lists every option)");
            return 2;
        }

        if (developerDefaults)
        {
            Console.WriteLine($"Lattice dev node: redis-cli -p {options.Port}   (data in {Path.GetFullPath(options.DataDirectory)}; Ctrl-C stops)");
        }

        LatticeServer.ConfigureSocketThreads(options);
        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        try
        {
            return LatticeServer.RunAsync(options, Console.Out, stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is CorruptLogException or CorruptSnapshotException or StartupFailedException or DataDirectoryInUseException)
        {
            Console.Error.WriteLine($"lattice server: cannot start: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            string reason = e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? "address already in use" : e.Message;
            Console.Error.WriteLine($"lattice server: cannot listen on {options.Bind}:{options.Port}: {reason}");
            return 1;
        }
    }

    /// <summary>
    /// Without --node-id/--initial-cluster/--join, a new data directory starts a cluster of one (this node) and an
    /// existing one keeps the membership it has. The client port defaults to this node's entry in the member list
    /// and must agree with it.
    /// </summary>
    private static string? ResolveCluster(ServerOptions options, bool portGiven)
    {
        bool member = ClusterOptions.IsMemberDirectory(options.DataDirectory);
        if (options.Cluster is null && !member)
        {
            string? singleError = ClusterOptions.TrySingleNode(options, out ClusterOptions? single);
            options.Cluster = single;
            return singleError;
        }

        ClusterOptions cluster = options.Cluster ??= new ClusterOptions();
        cluster.PeerPort = options.PeerPort;
        if (member && portGiven && ClusterOptions.StoredSelf(options.DataDirectory) is { } stored && stored.RespPort != options.Port)
        {
            return $"--port {options.Port} disagrees with this data directory: it belongs to node {stored.Id} at {stored.Address}. " +
                "Start it with --port " + stored.RespPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (or without --port)";
        }

        if (!member && cluster.JoinAddress is not null)
        {
            return cluster.Members.Count > 0 ? "use either --initial-cluster (a founding member) or --join (a new member), not both" : null;
        }

        if (!member)
        {
            if (cluster.Members.Count == 0)
            {
                return "a new cluster node needs --initial-cluster (and --node-id), or --join";
            }

            ClusterMember? self = ClusterMember.Find(cluster.Members, cluster.NodeId);
            if (self is null)
            {
                return $"--node-id {cluster.NodeId} is not in --initial-cluster";
            }

            if (portGiven && options.Port != self.RespPort)
            {
                return $"--port {options.Port} disagrees with node {self.Id}'s address {self.Host}:{self.RespPort} in --initial-cluster";
            }

            options.Port = self.RespPort;
        }

        return null;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Stop in order (connections, then log flush) instead of letting the runtime exit at once.
        context.Cancel = true;
        stop.Cancel();
    }

    /// <summary>The options <see cref="Parse"/> reads a value for (its switch's cases).</summary>
    private static readonly string[] ValueOptions =
    [
        "--port", "--data-dir", "--bind", "--appendfsync", "--config", "--node-id", "--join", "--peer-port",
        "--initial-cluster", "--unsafe", "--clock-offset-ms",
    ];

    private static string? Parse(string[] args, ServerOptions options, out bool help, out bool portGiven)
    {
        help = false;
        portGiven = false;
        string? configFile = null;
        var overrides = new List<(string Name, string Value)>();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag is "--help" or "-h")
            {
                help = true;
                return null;
            }

            if (flag == "--test-hooks")
            {
                options.TestHooks = true;
                continue;
            }

            if (!flag.StartsWith("--", StringComparison.Ordinal))
            {
                return $"unexpected argument '{flag}'";
            }

            if (i + 1 >= args.Length)
            {
                return Array.IndexOf(ValueOptions, flag) >= 0 ? $"{flag} needs a value" : $"unknown option '{flag}'";
            }

            string value = args[++i];
            switch (flag)
            {
                case "--port":
                    portGiven = true;
                    overrides.Add(("port", value));
                    break;
                case "--data-dir":
                    overrides.Add(("dir", value));
                    break;
                case "--bind":
                    overrides.Add(("bind", value));
                    break;
                case "--appendfsync":
                    overrides.Add(("appendfsync", value));
                    break;
                case "--config":
                    configFile = value;
                    break;
                case "--node-id":
                    if (!ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong id) || id == 0)
                    {
                        return $"--node-id must be a number of 1 or more, not '{value}'";
                    }

                    options.Cluster ??= new ClusterOptions();
                    options.Cluster.NodeId = id;
                    break;
                case "--join":
                    options.Cluster ??= new ClusterOptions();
                    options.Cluster.JoinAddress = value;
                    break;
                case "--peer-port":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int peerPort) || peerPort is <= 0 or > 65535)
                    {
                        return $"--peer-port must be 1..65535, not '{value}'";
                    }

                    options.PeerPort = peerPort;
                    break;
                case "--initial-cluster":
                    if (ClusterMember.TryParseList(value, out List<ClusterMember> members) is { } listError)
                    {
                        return $"--initial-cluster: {listError}";
                    }

                    options.Cluster ??= new ClusterOptions();
                    options.Cluster.Members = members;
                    break;
                case "--unsafe":
                    if (!ServerOptions.TryParseUnsafe(value, out UnsafeModes modes))
                    {
                        return $"--unsafe takes stale-reads, early-ack or both separated by a comma, not '{value}'";
                    }

                    options.Unsafe |= modes;
                    break;
                case "--clock-offset-ms":
                    if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long offsetMs))
                    {
                        return $"--clock-offset-ms must be a whole number of milliseconds, not '{value}'";
                    }

                    options.ClockOffsetMs = offsetMs;
                    break;
                default:
                    return $"unknown option '{flag}'";
            }
        }

        if (configFile is not null && options.LoadFile(configFile) is { } fileError)
        {
            return fileError;
        }

        foreach ((string name, string value) in overrides)
        {
            if (options.TrySet(name, value, atRuntime: false) is { } flagError)
            {
                return flagError;
            }
        }

        return null;
    }
}
