using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>INFO [section ...] in Redis's text layout: server, clients, memory, persistence, stats, replication, keyspace.</summary>
internal static class InfoCommand
{
    private static readonly string[] DefaultSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "keyspace"];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "info", -1, CommandFlags.None, Run, "Returns information and statistics about the server.",
            "[section...]", "server");

    public static string LatticeVersion { get; } =
        typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static void Run(ClientSession session, CommandArgs args)
    {
        var wanted = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            string name = Encoding.UTF8.GetString(args[i]).ToLowerInvariant();
            if (name is "all" or "everything" or "default")
            {
                wanted.AddRange(DefaultSections);
            }
            else
            {
                wanted.Add(name);
            }
        }

        if (wanted.Count == 0)
        {
            wanted.AddRange(DefaultSections);
        }

        var text = new StringBuilder();
        foreach (string section in DefaultSections)
        {
            if (wanted.Contains(section))
            {
                if (text.Length > 0)
                {
                    text.Append("\r\n");
                }

                AppendSection(session, section, text);
            }
        }

        session.Reply.Verbatim(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void AppendSection(ClientSession session, string section, StringBuilder text)
    {
        ServerState server = session.Server;
        Cluster.ClusterNode cluster = server.Cluster;
        var lines = new List<(string Name, object Value)>();
        switch (section)
        {
            case "server":
                long uptime = (long)(server.Time.GetUtcNow() - server.StartedAt).TotalSeconds;
                lines.Add(("redis_version", ConnectionCommands.CompatibleRedisVersion));
                lines.Add(("lattice_version", LatticeVersion));
                lines.Add(("redis_mode", cluster.IsSingleMember ? "standalone" : "cluster"));
                lines.Add(("os", $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}"));
                lines.Add(("arch_bits", IntPtr.Size * 8));
                lines.Add(("runtime", RuntimeInformation.FrameworkDescription));
                lines.Add(("process_id", Environment.ProcessId));
                lines.Add(("tcp_port", server.Options.Port));
                lines.Add(("server_time_usec", server.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000));
                lines.Add(("uptime_in_seconds", uptime));
                lines.Add(("uptime_in_days", uptime / 86400));
                lines.Add(("hz", server.Options.Hz));
                lines.Add(("executable", Environment.ProcessPath ?? ""));
                lines.Add(("config_file", server.Options.ConfigFile ?? ""));
                lines.Add(("unsafe_mode", ServerOptions.FormatUnsafe(server.Options.Unsafe)));
                lines.Add(("test_hooks", server.Options.TestHooks ? 1 : 0));
                if (server.TestClock is { } clock)
                {
                    lines.Add(("test_clock_offset_ms", (long)clock.Offset.TotalMilliseconds));
                    lines.Add(("test_isolated_from", string.Join(',', cluster.Transport.Faults.Partitioned)));
                }
                break;
            case "clients":
                lines.Add(("connected_clients", server.Clients.Count));
                lines.Add(("maxclients", server.Options.MaxClients));
                lines.Add(("blocked_clients", 0));
                break;
            case "memory":
                long used = GC.GetTotalMemory(forceFullCollection: false);
                GCMemoryInfo gc = GC.GetGCMemoryInfo();
                long rss = Environment.WorkingSet;
                lines.Add(("used_memory", used));
                lines.Add(("used_memory_human", Human(used)));
                lines.Add(("used_memory_rss", rss));
                lines.Add(("used_memory_rss_human", Human(rss)));
                lines.Add(("gc_heap_size", gc.HeapSizeBytes));
                lines.Add(("gc_fragmented_bytes", gc.FragmentedBytes));
                lines.Add(("gc_collections_gen0", GC.CollectionCount(0)));
                lines.Add(("gc_collections_gen2", GC.CollectionCount(2)));
                lines.Add(("maxmemory", 0));
                lines.Add(("maxmemory_policy", "noeviction"));
                lines.Add(("mem_allocator", "dotnet-gc"));
                break;
            case "persistence":
                lines.Add(("loading", 0));
                lines.Add(("aof_enabled", 1));
                lines.Add(("aof_rewrite_in_progress", 0));
                lines.Add(("aof_last_write_status", "ok"));
                // everysec and no hold only while the node is alone; with peers every write is fsynced.
                lines.Add(("appendfsync", cluster.IsSingleMember ? ServerOptions.FormatFsync(server.Options.AppendFsync) : "always"));
                lines.Add(("rdb_changes_since_last_save", cluster.EntriesSinceSnapshot));
                lines.Add(("rdb_bgsave_in_progress", cluster.SnapshotInProgress ? 1 : 0));
                lines.Add(("rdb_last_save_time", cluster.LastSaveUnixSeconds));
                lines.Add(("rdb_last_bgsave_status", cluster.LastSnapshotSucceeded ? "ok" : "err"));
                lines.Add(("log_bytes_on_disk", cluster.LogBytesOnDisk));
                lines.Add(("log_flushes", cluster.LogFlushes));
                lines.Add(("log_fsyncs", cluster.LogFsyncs));

                break;
            case "stats":
                ServerStats stats = server.Stats;
                lines.Add(("total_connections_received", stats.ConnectionsReceived));
                lines.Add(("total_commands_processed", stats.CommandsProcessed));
                lines.Add(("total_net_input_bytes", stats.NetInputBytes));
                lines.Add(("total_net_output_bytes", stats.NetOutputBytes));
                lines.Add(("rejected_connections", stats.ConnectionsRejected));
                lines.Add(("expired_keys", cluster.ActiveExpiredKeys));
                lines.Add(("total_error_replies_protocol", stats.ProtocolErrors));
                break;
            case "replication":
                Cluster.ClusterInfo.AddReplication(cluster, lines);

                break;
            case "cpu":
                using (var process = Process.GetCurrentProcess())
                {
                    lines.Add(("used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)));
                    lines.Add(("used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)));
                }

                break;
            case "keyspace":
                session.EnsureEngine();
                int keys = server.Keyspace.Database.Count;
                int expires = server.Keyspace.Database.ExpiringCount;
                session.ReleaseEngine();
                if (keys > 0)
                {
                    lines.Add(("db0", $"keys={keys},expires={expires},avg_ttl=0"));
                }

                break;
            default:
                return;
        }

        text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("\r\n");
        foreach ((string name, object value) in lines)
        {
            text.Append(name).Append(':').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("\r\n");
        }
    }

    private static string Human(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2}G"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F2}M"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F2}K"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes}B"),
    };
}
