using System.Net;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// The node's settings, from defaults, then a redis.conf-style file (<c>name value</c> per line, # comments),
/// then command-line flags. CONFIG GET/SET read and change the same table at runtime.
/// </summary>
public sealed class ServerOptions
{
    private static readonly ConfigSetting[] AllSettings =
    [
        new("port", "TCP port for RESP clients", o => ConfigValue.Format(o.Port),
            (o, v) => SetInt(v, 0, 65535, x => o.Port = (int)x), MutableAtRuntime: false),
        new("bind", "address to listen on", o => o.Bind,
            (o, v) => IPAddress.TryParse(v, out _) || v == "localhost" ? Set(() => o.Bind = v) : $"invalid bind address '{v}'", MutableAtRuntime: false),
        new("dir", "data directory (log and snapshots)", o => o.DataDirectory,
            (o, v) => v.Length > 0 ? Set(() => o.DataDirectory = v) : "dir must not be empty", MutableAtRuntime: false),
        new("appendfsync", "always | everysec | no", o => FormatFsync(o.AppendFsync),
            (o, v) => TryParseFsync(v, out AppendFsyncPolicy p) ? Set(() => o.AppendFsync = p) : "argument must be 'always', 'everysec' or 'no'", MutableAtRuntime: true),
        new("appendonly", "always yes: every write goes through the log", _ => "yes",
            (_, v) => v == "yes" ? null : "appendonly cannot be turned off: the log is how Lattice stores data", MutableAtRuntime: true),
        new("save", "RDB-style save points are not used; snapshots follow snapshot-log-bytes", _ => "",
            (_, v) => v.Length == 0 ? null : "save points are not supported; use snapshot-log-bytes", MutableAtRuntime: true),
        new("databases", "number of databases (only db 0)", _ => "1",
            (_, v) => v == "1" ? null : "only one database is supported", MutableAtRuntime: false),
        new("maxclients", "most simultaneous client connections", o => ConfigValue.Format(o.MaxClients),
            (o, v) => SetInt(v, 1, 1_000_000, x => o.MaxClients = (int)x), MutableAtRuntime: true),
        new("proto-max-bulk-len", "largest bulk string a client may send", o => ConfigValue.Format(o.Limits.MaxBulkBytes),
            (o, v) => SetBytes(v, 1024, 512L * 1024 * 1024, x => o.Limits = With(o.Limits, bulk: x)), MutableAtRuntime: true),
        new("proto-max-multibulk-len", "most arguments in one request", o => ConfigValue.Format(o.Limits.MaxMultiBulkLength),
            (o, v) => SetInt(v, 1, int.MaxValue, x => o.Limits = With(o.Limits, multibulk: (int)x)), MutableAtRuntime: true),
        new("proto-inline-max-size", "longest inline request line", o => ConfigValue.Format(o.Limits.MaxInlineBytes),
            (o, v) => SetBytes(v, 1024, int.MaxValue, x => o.Limits = With(o.Limits, inline: (int)x)), MutableAtRuntime: true),
        new("client-query-buffer-limit", "most unprocessed bytes buffered per client", o => ConfigValue.Format(o.Limits.MaxQueryBufferBytes),
            (o, v) => SetBytes(v, 1024, 4L * 1024 * 1024 * 1024, x => o.Limits = With(o.Limits, query: x)), MutableAtRuntime: true),
        new("client-output-buffer-limit", "most reply bytes held for a client, 1mb to 1gb; over it the client is disconnected at once, without the reply (replies are sent each time they pass 64 KB, so this bounds one large reply, or the replies of a pipelined run of writes)", o => ConfigValue.Format(o.Limits.MaxOutputBufferBytes),
            (o, v) => SetBytes(v, 1024 * 1024, 1024L * 1024 * 1024, x => o.Limits = With(o.Limits, output: x)), MutableAtRuntime: true),
        new("snapshot-log-bytes", "log bytes written after which a background snapshot starts (0 = never)", o => ConfigValue.Format(o.SnapshotLogBytes),
            (o, v) => SetBytes(v, 0, long.MaxValue, x => o.SnapshotLogBytes = x), MutableAtRuntime: true),
        new("snapshot-log-percent", "alone in its cluster, a node also waits until the log since its last snapshot is this percent of that snapshot's size (0 = snapshot-log-bytes only)", o => ConfigValue.Format(o.SnapshotLogPercent),
            (o, v) => SetInt(v, 0, 10_000, x => o.SnapshotLogPercent = (int)x), MutableAtRuntime: true),
        new("snapshot-keep-entries", "cluster: log entries kept after a snapshot, so followers a little behind catch up without one", o => ConfigValue.Format(o.SnapshotKeepEntries),
            (o, v) => SetInt(v, 0, 100_000_000, x => o.SnapshotKeepEntries = (int)x), MutableAtRuntime: true),
        new("wal-segment-bytes", "size of one log segment file", o => ConfigValue.Format(o.SegmentBytes),
            (o, v) => SetBytes(v, 64 * 1024, 4L * 1024 * 1024 * 1024, x => o.SegmentBytes = x), MutableAtRuntime: false),
        new("io-threads", "client event loops: threads that own the client connections and run their sessions (0 = one per two cores, at most 4)", o => ConfigValue.Format(o.IoThreads),
            (o, v) => SetInt(v, 0, 64, x => o.IoThreads = (int)x), MutableAtRuntime: false),
        new("client-transport", "loops (the node's own epoll event loops; Linux) | kestrel (the runtime's socket engine, as on other systems)",
            o => o.KestrelClients ? "kestrel" : "loops",
            (o, v) => v switch
            {
                "loops" => Set(() => o.KestrelClients = false),
                "kestrel" => Set(() => o.KestrelClients = true),
                _ => "argument must be 'loops' or 'kestrel'",
            },
            MutableAtRuntime: false),
        new("hz", "active expiry cycles per second", o => ConfigValue.Format(o.Hz),
            (o, v) => SetInt(v, 1, 500, x => o.Hz = (int)x), MutableAtRuntime: false),
    ];

    public int Port { get; set; } = 7379;

    public string Bind { get; set; } = "127.0.0.1";

    public string DataDirectory { get; set; } = "lattice-data";

    public AppendFsyncPolicy AppendFsync { get; set; } = AppendFsyncPolicy.Always;

    public int MaxClients { get; set; } = 10_000;

    /// <summary>Protocol limits; replaced whole (never mutated) so sessions can read it without a lock.</summary>
    public RespLimits Limits { get; set; } = RespLimits.Default;

    public long SnapshotLogBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>As Redis's auto-aof-rewrite-percentage: a node alone snapshots once its log since the last snapshot is this percent of that snapshot's size.</summary>
    public int SnapshotLogPercent { get; set; } = 100;

    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Cluster: entries kept in the Raft log after a snapshot (followers that lag less catch up from the log).</summary>
    public int SnapshotKeepEntries { get; set; } = 10_000;

    public int Hz { get; set; } = 10;

    /// <summary>Client event loops, or Kestrel's socket engine threads (0: the node's default, see LatticeServer).</summary>
    public int IoThreads { get; set; }

    /// <summary>client-transport kestrel: clients through Kestrel even where the node's own loops run (comparisons, tests).</summary>
    public bool KestrelClients { get; set; }

    /// <summary>Whether clients are served by the node's own event loops (Linux, unless client-transport is kestrel).</summary>
    public bool UsesEventLoops => !KestrelClients && Network.EventLoopNative.IsSupported;

    public string? ConfigFile { get; set; }

    /// <summary>How the node takes part in its cluster (--node-id, --initial-cluster, --join); null until resolved: a cluster of one, or the membership its data directory holds.</summary>
    public Cluster.ClusterOptions? Cluster { get; set; }

    /// <summary>--peer-port: where other nodes reach this one; 0 means the client port + 10000.</summary>
    public int PeerPort { get; set; }

    /// <summary>--unsafe (testing only, cluster nodes): deliberate consistency bugs for the chaos harness.</summary>
    public UnsafeModes Unsafe { get; set; }

    /// <summary>--test-hooks (testing only, cluster nodes): accept LATTICE TEST (clock skew, peer isolation).</summary>
    public bool TestHooks { get; set; }

    /// <summary>--clock-offset-ms (testing only, needs <see cref="TestHooks"/>): the wall clock's skew at start.</summary>
    public long ClockOffsetMs { get; set; }

    /// <summary>Largest log record (not a user setting: tests lower it to reach the limit cheaply).</summary>
    internal int LogRecordBytesMax { get; set; } = new Lattice.Storage.WriteAheadLogOptions().MaxRecordBytes;

    internal static IReadOnlyList<ConfigSetting> Settings => AllSettings;

    /// <summary>Applies one setting by name; returns an error text or null.</summary>
    public string? TrySet(string name, string value, bool atRuntime)
    {
        ConfigSetting? setting = Find(name);
        if (setting is null)
        {
            return atRuntime ? $"Unknown option or number of arguments for CONFIG SET - '{name}'" : $"unknown setting '{name}'";
        }

        if (atRuntime && !setting.MutableAtRuntime)
        {
            return $"CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config";
        }

        string? error = setting.Apply(this, value);
        return error is null ? null : $"Invalid argument '{value}' for '{name}': {error}";
    }

    /// <summary>Reads a config file: one <c>name value</c> per line, # starts a comment, values may be quoted.</summary>
    public string? LoadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read config file '{path}': {e.Message}";
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            string name = space < 0 ? line : line[..space];
            string value = space < 0 ? "" : line[(space + 1)..].Trim();
            if (value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'')
            {
                value = value[1..^1];
            }

            string? error = TrySet(name.ToLowerInvariant(), value, atRuntime: false);
            if (error is not null)
            {
                return $"{path}:{i + 1}: {error}";
            }
        }

        ConfigFile = Path.GetFullPath(path);
        return null;
    }

    /// <summary>A copy to try changes on (CONFIG SET validates every pair before applying any).</summary>
    internal ServerOptions Copy() => (ServerOptions)MemberwiseClone();

    /// <summary>Checks settings that depend on each other; returns an error text or null.</summary>
    public string? Validate()
    {
        try
        {
            Limits.Validate();
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        return null;
    }

    /// <summary>The clock offset needs the test hooks and stays within its bound; returns an error text or null.</summary>
    public string? ValidateTestingFlags()
    {
        if (ClockOffsetMs != 0 && !TestHooks)
        {
            return "--clock-offset-ms needs --test-hooks";
        }

        if (Math.Abs(ClockOffsetMs) > (long)OffsetTimeProvider.MaxOffset.TotalMilliseconds)
        {
            return $"--clock-offset-ms must be within {(long)OffsetTimeProvider.MaxOffset.TotalMilliseconds} ms either way";
        }

        return null;
    }

    internal static ConfigSetting? Find(string name)
    {
        foreach (ConfigSetting setting in AllSettings)
        {
            if (string.Equals(setting.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        return null;
    }

    internal static string FormatFsync(AppendFsyncPolicy policy) => policy switch
    {
        AppendFsyncPolicy.Always => "always",
        AppendFsyncPolicy.EverySec => "everysec",
        _ => "no",
    };

    internal static bool TryParseFsync(string text, out AppendFsyncPolicy policy)
    {
        switch (text.ToLowerInvariant())
        {
            case "always":
                policy = AppendFsyncPolicy.Always;
                return true;
            case "everysec":
                policy = AppendFsyncPolicy.EverySec;
                return true;
            case "no":
                policy = AppendFsyncPolicy.No;
                return true;
            default:
                policy = AppendFsyncPolicy.Always;
                return false;
        }
    }

    /// <summary>The modes as --unsafe takes them, or <c>none</c>.</summary>
    public static string FormatUnsafe(UnsafeModes modes)
    {
        if (modes == UnsafeModes.None)
        {
            return "none";
        }

        var names = new List<string>(2);
        if ((modes & UnsafeModes.StaleReads) != 0)
        {
            names.Add("stale-reads");
        }

        if ((modes & UnsafeModes.EarlyAck) != 0)
        {
            names.Add("early-ack");
        }

        return string.Join(',', names);
    }

    /// <summary>Parses <c>stale-reads</c>, <c>early-ack</c> or a comma list of them.</summary>
    public static bool TryParseUnsafe(string text, out UnsafeModes modes)
    {
        ArgumentNullException.ThrowIfNull(text);
        modes = UnsafeModes.None;
        foreach (string name in text.Split(','))
        {
            switch (name.Trim().ToLowerInvariant())
            {
                case "stale-reads":
                    modes |= UnsafeModes.StaleReads;
                    break;
                case "early-ack":
                    modes |= UnsafeModes.EarlyAck;
                    break;
                default:
                    modes = UnsafeModes.None;
                    return false;
            }
        }

        return true;
    }

    private static string? Set(Action set)
    {
        set();
        return null;
    }

    private static string? SetInt(string text, long min, long max, Action<long> set)
    {
        if (!ConfigValue.TryParseInt(text, min, max, out long value))
        {
            return $"must be an integer from {min} to {max}";
        }

        set(value);
        return null;
    }

    private static string? SetBytes(string text, long min, long max, Action<long> set)
    {
        if (!ConfigValue.TryParseBytes(text, out long value) || value < min || value > max)
        {
            return $"must be a size from {min} to {max} bytes (suffixes kb, mb, gb allowed)";
        }

        set(value);
        return null;
    }

    private static RespLimits With(RespLimits limits, long? bulk = null, int? multibulk = null, int? inline = null, long? query = null, long? output = null) => new()
    {
        MaxBulkBytes = bulk ?? limits.MaxBulkBytes,
        MaxMultiBulkLength = multibulk ?? limits.MaxMultiBulkLength,
        MaxInlineBytes = inline ?? limits.MaxInlineBytes,
        MaxQueryBufferBytes = query ?? limits.MaxQueryBufferBytes,
        MaxNestingDepth = limits.MaxNestingDepth,
        MaxOutputBufferBytes = output ?? limits.MaxOutputBufferBytes,
    };
}
