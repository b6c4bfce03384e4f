using System.Net;
using Lattice.Common;
using Lattice.Raft;
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
    private readonly EntrySlab _slab = new();
    private PeerTransport? _transport;
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
        Members = state.Members;
        _keyspace = new KeyspaceStateMachine(_pending, time, NodeId, Incarnation, Fatal);
        ConfState initial = ConfState.FromVoters(MemberIds(state.Members));
        AddGroup(MetadataGroupId, new MetadataStateMachine(), initial);
        _data = AddGroup(KeyspaceGroupId, _keyspace, initial);
        _groupList = [.. _groups.Values];
        Status = BuildStatus();
    }

    public ulong NodeId { get; }

    /// <summary>How many times this node's data directory has started; tells this run's proposals from earlier runs'.</summary>
    public uint Incarnation { get; }

    public IReadOnlyList<ClusterMember> Members { get; }

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
            ClusterStateFile state = LoadState(options, server.DataDirectory, wal, log);
            options.NodeId = state.NodeId;
            options.Members = state.Members;
            node = new ClusterNode(options, server, state, time, log, wal);
            node.Recover();
            node.StartTransport(server.Bind);
            node._thread = new Thread(node.Run) { IsBackground = true, Name = "lattice-raft" };
            node._thread.Start();
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

        _stopping = true;
        _wake.Set();
        _thread?.Join();
        _transport?.Dispose();
        _snapshotTask.GetAwaiter().GetResult();
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

    private static ulong[] MemberIds(List<ClusterMember> members)
    {
        var ids = new ulong[members.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = members[i].Id;
        }

        return ids;
    }

    private static ClusterStateFile LoadState(ClusterOptions options, string dataDirectory, WriteAheadLog wal, Action<string> log)
    {
        ClusterStateFile? stored = ClusterStateFile.Read(dataDirectory);
        if (stored is null)
        {
            if (wal.Recovery.RecordCount > 0)
            {
                throw new StartupFailedException(
                    $"{dataDirectory} holds a single-node log and no {ClusterStateFile.FileName}: it cannot join a cluster. " +
                    "Start it with 'lattice server' without cluster options, or use an empty directory.");
            }

            if (options.Members.Count == 0)
            {
                throw new StartupFailedException("a new cluster node needs --initial-cluster");
            }

            bool found = false;
            foreach (ClusterMember member in options.Members)
            {
                found |= member.Id == options.NodeId;
            }

            if (!found)
            {
                throw new StartupFailedException($"--node-id {options.NodeId} is not in --initial-cluster");
            }

            stored = new ClusterStateFile { NodeId = options.NodeId, Incarnation = 0, Members = options.Members };
            log($"cluster: bootstrapping node {options.NodeId} of {options.Members.Count} ({string.Join(',', options.Members)})");
        }
        else if (stored.NodeId != options.NodeId && options.Members.Count > 0)
        {
            throw new StartupFailedException(
                $"{dataDirectory} belongs to node {stored.NodeId}, not to node {options.NodeId}. Nothing was changed.");
        }

        var next = new ClusterStateFile { NodeId = stored.NodeId, Incarnation = stored.Incarnation + 1, Members = stored.Members };
        next.Write(dataDirectory);
        return next;
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
                ClusterId = _options.ClusterId,
                ListenEndPoint = new IPEndPoint(address, self.PeerPort),
                MaxFrameBytes = _options.MaxEntryBytes + (8 * 1024 * 1024),
            },
            new PeerHandler(this),
            _time,
            _log);
        foreach (ClusterMember member in Members)
        {
            if (member.Id != NodeId)
            {
                _transport.SetPeer(member.Id, member.Host, member.PeerPort);
            }
        }

        _transport.Start();
        _log($"cluster: node {NodeId} (incarnation {Incarnation}) listening for peers on {_transport.ListenEndPoint}");
    }

    private void Fatal(string what, Exception error)
    {
        _log($"FATAL: {what}: {error}");
        Environment.FailFast($"lattice: {what}: {error.Message}", error);
    }
}
