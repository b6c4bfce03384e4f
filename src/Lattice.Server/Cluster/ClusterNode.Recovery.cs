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

    /// <summary>
    /// The seed of a group's randomized election timeouts on this node, different per node, restart and group. Two
    /// nodes that lose their leader at the same moment must not draw the same timeouts, or they split every vote.
    /// (The core mixes the node id in by XOR with a multiple of it: a seed built the same way cancelled it, so every
    /// node of one incarnation drew the same timeouts and two survivors could stay candidates for good.)
    /// </summary>
    internal static ulong RaftRandomSeed(ulong nodeId, uint incarnation, ulong groupId)
    {
        ulong seed = 0;
        foreach (ulong part in (ReadOnlySpan<ulong>)[nodeId, incarnation, groupId])
        {
            // SplitMix64's finaliser over the running value: not linear in any part, so nothing cancels.
            seed = (seed ^ part) + 0x9E3779B97F4A7C15UL;
            seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9UL;
            seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBUL;
            seed ^= seed >> 31;
        }

        return seed;
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
            RandomSeed = RaftRandomSeed(NodeId, Incarnation, groupId),
            PreVote = true,
            CheckQuorum = true,
            MaxBytesPerMessage = 1024 * 1024,
            MaxInflightMessages = 256,
        };
        options.Validate();
        return options;
    }
}
