using System.Globalization;
using System.Net;
using Lattice.Common;
using Lattice.Raft;
using Lattice.Raft.ConfChange;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>
/// The cluster runtime of one node: the Raft groups it hosts (the metadata group and the data group of keyspace 0 —
/// nothing here assumes how many), the node's single write-ahead log shared by all of them, and the peer transport.
/// One Raft thread owns every group: it steps messages and ticks, proposes, and for each cycle persists the Ready
/// batches of all groups with one log flush (one fsync), having sent the leader's appends before it so followers
/// write in parallel. Sessions hand it writes and read barriers through the inbox and wait on their own waiters.
/// </summary>
public sealed partial class ClusterNode : IDisposable
{
    public const ulong MetadataGroupId = 1;
    public const ulong KeyspaceGroupId = 2;

    private readonly ClusterOptions _options;
    private readonly ServerOptions _server;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly WriteAheadLog _wal;
    private readonly PendingWrites _pending = new();
    private readonly KeyspaceStateMachine _keyspace;
    private readonly Dictionary<ulong, ReplicatedGroup> _groups = [];
    private readonly ReplicatedGroup[] _groupList;
    private readonly ReplicatedGroup _data;
    private readonly ReplicatedGroup _meta;
    private readonly MetadataStateMachine _metadata;
    private ClusterStateFile _state;
    private PeerTransport? _transport;
    private IReadOnlyList<ClusterMember> _peersSet = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private int _disposed;

    private ClusterNode(ClusterOptions options, ServerOptions server, ClusterStateFile state, TimeProvider time, Action<string> log, WriteAheadLog wal)
    {
        _options = options;
        _server = server;
        _time = time;
        _log = log;
        _wal = wal;
        NodeId = state.NodeId;
        Incarnation = state.Incarnation;
        _state = state;
        _keyspace = new KeyspaceStateMachine(_pending, time, NodeId, Incarnation, Fatal);
        _metadata = new MetadataStateMachine(state.Members, OnMembersChanged);
        // Membership comes from the logs (bootstrap entries, or what a leader sends a joining node), never from here.
        _meta = AddGroup(MetadataGroupId, _metadata, ConfState.Empty);
        _data = AddGroup(KeyspaceGroupId, _keyspace, ConfState.Empty);
        // --unsafe early-ack is for the data group only: membership (the metadata group) stays safe.
        _data.EarlyAck = (server.Unsafe & UnsafeModes.EarlyAck) != 0;
        _groupList = [.. _groups.Values];
        Status = BuildStatus();
        _lastSaveUnixSeconds = time.GetUtcNow().ToUnixTimeSeconds();
    }

    public ulong NodeId { get; }

    /// <summary>How many times this node's data directory has started; tells this run's proposals from earlier runs'.</summary>
    public uint Incarnation { get; }

    /// <summary>Every member's address, as the metadata group has applied it.</summary>
    public IReadOnlyList<ClusterMember> Members => _metadata.Members;

    public ulong ClusterId => _state.ClusterId;

    /// <summary>The latest view of every group, refreshed by the Raft thread on each tick and role change.</summary>
    public ClusterStatus Status { get; private set; }

    public int MaxEntryBytes => Math.Min(_options.MaxEntryBytes, _wal.MaxPayloadBytes) - ProposalEnvelope.HeaderBytes;

    internal KeyspaceStateMachine Keyspace => _keyspace;

    internal PeerTransport Transport => _transport!;

    /// <summary>Opens the data directory (bootstrap or recovery), starts the peer transport and the Raft thread.</summary>
    public static ClusterNode Open(ClusterOptions options, ServerOptions server, TimeProvider time, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        Directory.CreateDirectory(server.DataDirectory);
        WriteAheadLog wal = WriteAheadLog.Open(new WriteAheadLogOptions
        {
            Directory = server.DataDirectory,
            SegmentSizeBytes = server.SegmentBytes,
            MaxRecordBytes = server.LogRecordBytesMax,
            Log = log,
        });
        ClusterNode? node = null;
        try
        {
            ClusterStateFile state = LoadState(options, server, wal, log);
            options.NodeId = state.NodeId;
            options.Members = state.Members;
            node = new ClusterNode(options, server, state, time, log, wal);
            node.Recover();
            node.BootstrapIfNew(server.DataDirectory);
            node.StartTransport(server.Bind);
            node._nextTickMs = node.NowMs() + (long)options.TickInterval.TotalMilliseconds;
            node._thread = new Thread(node.Run) { IsBackground = true, Name = "lattice-raft" };
            node._thread.Start();
            // The first cycle runs now, not a tick from now: a cluster of one elects itself in it.
            node._wake.Set();
            if (options.JoinAddress is { } seed && node._meta.Log.LastIndex() == 0 && node._data.Log.LastIndex() == 0)
            {
                // A joining node that has received nothing yet (first start, or a restart before it was added) asks
                // to be added; adding is idempotent. Founding members have their bootstrap entries instead.
                node.StartJoining(seed);
            }

            return node;
        }
        catch
        {
            if (node is not null)
            {
                node.Dispose();
            }
            else
            {
                wal.Dispose();
            }

            throw;
        }
    }

    /// <summary>Stops the Raft thread, writes and fsyncs the log, closes peer connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopJoining();
        _stopping = true;
        _wake.Set();
        _thread?.Join();
        lock (_cycleLock)
        {
            // A cycle another thread started has ended, and none starts now (they check _stopping under the lock).
        }

        _transport?.Dispose();
        _snapshotTask.GetAwaiter().GetResult();
        lock (_inboxLock)
        {
            _saveRequested?.TrySetResult(false);
            _saveRequested = null;
        }

        FailAllWaits();
        try
        {
            _wal.Flush(sync: true);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _log($"shutdown: the final log flush failed: {e.Message}");
        }

        _keyspace.Dispose();
        _wal.Dispose();
        _wake.Dispose();
    }

    private static ClusterStateFile LoadState(ClusterOptions options, ServerOptions server, WriteAheadLog wal, Action<string> log)
    {
        string dataDirectory = server.DataDirectory;
        ClusterStateFile? stored = ClusterStateFile.Read(dataDirectory);
        if (stored is null)
        {
            if (wal.Recovery.RecordCount > 0 || HasLooseSnapshots(wal.SnapshotDirectory))
            {
                // Written by a version whose single node had its own write path, or by something else entirely.
                throw new StartupFailedException(
                    $"{dataDirectory} holds a log or snapshots but no {ClusterStateFile.FileName}: it is not a data directory " +
                    "this version can open (single nodes of earlier versions wrote another format). Nothing was changed; " +
                    "use an empty directory.");
            }

            stored = options.JoinAddress is { } seed
                ? JoinState(options, server, seed, log)
                : FoundingState(options, log);
        }
        else if (stored.NodeId != options.NodeId && options.Members.Count > 0)
        {
            throw new StartupFailedException(
                $"{dataDirectory} belongs to node {stored.NodeId}, not to node {options.NodeId}. Nothing was changed.");
        }
        else if (ClusterMember.Find(stored.Members, stored.NodeId) is { } self && ClusterMember.Find(options.Members, stored.NodeId) is { } asked &&
            self.Address != asked.Address)
        {
            // The node would serve the address its cluster knows it by, not the one asked for: say so instead.
            throw new StartupFailedException(
                $"{dataDirectory} belongs to a cluster that knows node {self.Id} at {self.Address}, not at {asked.Address} as " +
                "--initial-cluster says. Nothing was changed; start it with its own address (for lattice dev: the --base-port it " +
                "was created with), or use another data directory.");
        }

        var next = new ClusterStateFile
        {
            NodeId = stored.NodeId,
            Incarnation = stored.Incarnation + 1,
            ClusterId = stored.ClusterId,
            Members = stored.Members,
            Bootstrapped = stored.Bootstrapped,
        };
        next.Write(dataDirectory);
        return next;
    }

    private static bool HasLooseSnapshots(string snapshotDirectory) =>
        Directory.Exists(snapshotDirectory) && Directory.EnumerateFiles(snapshotDirectory).Any();

    private static ClusterStateFile FoundingState(ClusterOptions options, Action<string> log)
    {
        if (options.Members.Count == 0)
        {
            throw new StartupFailedException("a new cluster node needs --initial-cluster or --join");
        }

        if (ClusterMember.Find(options.Members, options.NodeId) is null)
        {
            throw new StartupFailedException($"--node-id {options.NodeId} is not in --initial-cluster");
        }

        log($"cluster: bootstrapping node {options.NodeId} of {options.Members.Count} ({string.Join(',', options.Members)})");
        return new ClusterStateFile
        {
            NodeId = options.NodeId,
            Incarnation = 0,
            ClusterId = ClusterOptions.DeriveClusterId(options.Members),
            Members = options.Members,
            Bootstrapped = false,
        };
    }

    /// <summary>How long a joining node keeps trying to reach its --join address before it gives up.</summary>
    private static readonly TimeSpan JoinContactLimit = TimeSpan.FromSeconds(60);

    /// <summary>A joining node learns the membership from a member and adds itself; it writes no bootstrap entries.</summary>
    private static ClusterStateFile JoinState(ClusterOptions options, ServerOptions server, string seed, Action<string> log)
    {
        string reply;
        ulong clusterId;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                reply = AdminClient.Command(seed, ["LATTICE", "MEMBERS"]);
                clusterId = ulong.Parse(AdminClient.Command(seed, ["LATTICE", "CLUSTER-ID"]), CultureInfo.InvariantCulture);
                break;
            }
            catch (IOException e) when (waited.Elapsed < JoinContactLimit)
            {
                // The seed may be restarting or cut off for a moment: a joining node keeps asking for a while.
                log($"cluster: --join {seed}: no answer yet ({e.Message}); asking again in {backoff.TotalSeconds:F1} s");
                Thread.Sleep(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
            }
            catch (Exception e) when (e is IOException or AdminCommandException or FormatException or ArgumentException)
            {
                throw new StartupFailedException($"--join {seed}: cannot get the membership from it: {e.Message}");
            }
        }

        if (ClusterMember.TryParseList(reply, out List<ClusterMember> members) is { } error)
        {
            throw new StartupFailedException($"--join {seed}: the member list it sent is not valid: {error}");
        }

        int peerPort = options.PeerPort > 0 ? options.PeerPort : server.Port + ClusterMember.PeerPortOffset;
        var self = new ClusterMember(options.NodeId, server.Bind == "localhost" ? "127.0.0.1" : server.Bind, server.Port, peerPort);
        if (ClusterMember.Find(members, self.Id) is { } existing && existing != self)
        {
            throw new StartupFailedException($"--join {seed}: node {self.Id} is already a member at {existing}; remove it first or use another id");
        }

        members.RemoveAll(m => m.Id == self.Id);
        members.Add(self);
        log($"cluster: joining through {seed} as {self} (members: {string.Join(',', members)})");
        return new ClusterStateFile { NodeId = options.NodeId, Incarnation = 0, ClusterId = clusterId, Members = members, Bootstrapped = true };
    }

    /// <summary>
    /// A founding member's first start: the initial membership is written as the first entries of each group's log
    /// (term 1, committed), as if proposed, so a node that joins later learns it from the log like any change.
    /// Done once; the state file records it only after the entries are durable.
    /// </summary>
    private void BootstrapIfNew(string dataDirectory)
    {
        if (_state.Bootstrapped)
        {
            return;
        }

        foreach (ReplicatedGroup group in _groupList)
        {
            if (group.Log.LastIndex() > 0)
            {
                continue;
            }

            var entries = new List<Entry>();
            foreach (ClusterMember member in _state.Members)
            {
                byte[] change = ConfChangeRequest.Single(ConfChangeType.AddVoter, member.Id).Encode();
                entries.Add(new Entry(1, (ulong)entries.Count + 1, EntryType.ConfChange, change));
            }

            if (group == _meta)
            {
                foreach (ClusterMember member in _state.Members)
                {
                    entries.Add(new Entry(1, (ulong)entries.Count + 1, EntryType.Normal, MetadataEntry.SetMember(member)));
                }
            }

            foreach (Entry entry in entries)
            {
                _wal.Append(group.GroupId, (long)entry.Index, (long)entry.Term, RaftEntryRecord.ToPayload(entry));
            }

            group.Log.Append(entries.ToArray());
            var hard = new Lattice.Raft.HardState(1, 0, (ulong)entries.Count);
            group.Log.SetHardState(hard);
            _wal.AppendHardState(group.GroupId, 1, 0, entries.Count);
            group.Raft = new RawNode(RaftOptionsFor(group.GroupId, 0), group.Log);
        }

        _wal.Flush(sync: true);
        _state = new ClusterStateFile
        {
            NodeId = NodeId,
            Incarnation = Incarnation,
            ClusterId = _state.ClusterId,
            Members = _state.Members,
            Bootstrapped = true,
        };
        _state.Write(dataDirectory);
    }

    /// <summary>Applied membership changes reach the transport: new members are dialled, removed ones dropped.</summary>
    private void OnMembersChanged(IReadOnlyList<ClusterMember> members)
    {
        if (_transport is not { } transport)
        {
            return;
        }

        foreach (ClusterMember member in members)
        {
            if (member.Id != NodeId)
            {
                transport.SetPeer(member.Id, member.Host, member.PeerPort);
            }
        }

        foreach (ClusterMember known in _peersSet)
        {
            if (ClusterMember.Find(members, known.Id) is null)
            {
                transport.RemovePeer(known.Id);
            }
        }

        _peersSet = members;
    }

    private ReplicatedGroup AddGroup(ulong groupId, IGroupStateMachine machine, ConfState confState)
    {
        var log = new GroupLogStore(confState);
        var group = new ReplicatedGroup(groupId, log, machine) { ConfState = confState };
        _groups.Add(groupId, group);
        return group;
    }

    private void StartTransport(string bind)
    {
        ClusterMember self = _options.Self;
        IPAddress address = bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(bind);
        _transport = new PeerTransport(
            new PeerTransportOptions
            {
                NodeId = NodeId,
                ClusterId = _state.ClusterId,
                ListenEndPoint = new IPEndPoint(address, self.PeerPort),
                MaxFrameBytes = _options.MaxEntryBytes + (8 * 1024 * 1024),
            },
            new PeerHandler(this),
            _time,
            _log);
        OnMembersChanged(Members);
        _transport.Start();
        _log($"cluster: node {NodeId} (incarnation {Incarnation}) listening for peers on {_transport.ListenEndPoint}");
    }

    private void Fatal(string what, Exception error)
    {
        _log($"FATAL: {what}: {error}");
        Environment.FailFast($"lattice: {what}: {error.Message}", error);
    }
}
