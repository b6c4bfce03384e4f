using Lattice.Raft;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>Start-up: each group's log and hard state come back from the node's write-ahead log.</summary>
public sealed partial class ClusterNode
{
    private void Recover()
    {
        var one = new Entry[1];
        foreach (ReplicatedGroup group in _groupList)
        {
            ulong snapshotIndex = LoadSnapshot(group);
            long replayed = _wal.Replay(group.GroupId, (long)snapshotIndex, (index, term, payload) =>
            {
                EntryType type = RaftEntryRecord.ReadType(payload, out ReadOnlySpan<byte> data);
                one[0] = new Entry((ulong)term, (ulong)index, type, group.Log.CopyPayload(data, (ulong)index));
                group.Log.Append(one);
            });
            Lattice.Storage.HardState? stored = _wal.LatestHardState(group.GroupId);
            if (stored is { } hard)
            {
                // The snapshot holds committed state even if the hard state written before it was never synced.
                ulong commit = Math.Max(Math.Min((ulong)hard.Commit, group.Log.LastIndex()), snapshotIndex);
                group.Log.SetHardState(new Lattice.Raft.HardState((ulong)hard.Term, hard.Vote, commit));
            }

            group.Raft = new RawNode(RaftOptionsFor(group.GroupId, snapshotIndex), group.Log);
            _log($"cluster: group {group.GroupId}: recovered {replayed} log entries (last index {group.Log.LastIndex()}, " +
                $"term {group.Log.HardState.Term}, commit {group.Log.HardState.Commit})");
        }
    }

    private RaftOptions RaftOptionsFor(ulong groupId, ulong applied)
    {
        var options = new RaftOptions
        {
            NodeId = NodeId,
            GroupId = groupId,
            ElectionTimeoutTicks = _options.ElectionTicks,
            HeartbeatTimeoutTicks = _options.HeartbeatTicks,
            // The state machine starts from the snapshot; everything committed after it is applied again.
            Applied = applied,
            RandomSeed = (NodeId * 0x9E3779B97F4A7C15UL) ^ ((ulong)Incarnation << 20) ^ groupId,
            PreVote = true,
            CheckQuorum = true,
            MaxBytesPerMessage = 1024 * 1024,
            MaxInflightMessages = 256,
        };
        options.Validate();
        return options;
    }
}
