using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// INFO replication on a cluster node, in Redis's format where it maps: the data group's leader is the master, the
/// others are replicas, and replication offsets are Raft log indexes. Raft's own terms follow under raft_*.
/// </summary>
internal static class ClusterInfo
{
    public static void AddReplication(ClusterNode cluster, List<(string Name, object Value)> lines)
    {
        GroupStatus? data = null;
        foreach (GroupStatus group in cluster.Status.Groups)
        {
            if (group.GroupId == ClusterNode.KeyspaceGroupId)
            {
                data = group;
            }
        }

        if (data is null)
        {
            return;
        }

        if (data.Role == RaftRole.Leader)
        {
            lines.Add(("role", "master"));
            int index = 0;
            var replicas = new List<(string, object)>();
            foreach (MemberProgress progress in data.Progress)
            {
                if (progress.NodeId == cluster.NodeId || ClusterMember.Find(cluster.Members, progress.NodeId) is not { } member)
                {
                    continue;
                }

                string state = progress.HeardRecently ? "online" : "down";
                ulong lag = data.LastIndex - Math.Min(progress.Match, data.LastIndex);
                replicas.Add(($"slave{index++}", $"ip={member.Host},port={member.RespPort},state={state},offset={progress.Match},lag={lag}"));
            }

            lines.Add(("connected_slaves", replicas.Count));
            lines.AddRange(replicas);
            lines.Add(("master_repl_offset", data.LastIndex));
        }
        else
        {
            lines.Add(("role", "slave"));
            if (ClusterMember.Find(cluster.Members, data.Leader) is { } leader)
            {
                lines.Add(("master_host", leader.Host));
                lines.Add(("master_port", leader.RespPort));
            }

            lines.Add(("master_link_status", data.Leader != 0 ? "up" : "down"));
            lines.Add(("slave_repl_offset", data.AppliedIndex));
            lines.Add(("slave_read_only", 1));
            lines.Add(("connected_slaves", 0));
            lines.Add(("master_repl_offset", data.CommitIndex));
        }

        lines.Add(("raft_node_id", cluster.NodeId));
        lines.Add(("raft_role", data.Role.ToString().ToLowerInvariant()));
        lines.Add(("raft_term", data.Term));
        lines.Add(("raft_leader_id", data.Leader));
        lines.Add(("raft_commit_index", data.CommitIndex));
        lines.Add(("raft_applied_index", data.AppliedIndex));
        lines.Add(("raft_last_index", data.LastIndex));
        lines.Add(("raft_snapshot_index", data.SnapshotIndex));
        if (cluster.GroupStatusOf(ClusterNode.MetadataGroupId) is { } metadata)
        {
            lines.Add(("raft_metadata_leader_id", metadata.Leader));
            lines.Add(("raft_metadata_commit_index", metadata.CommitIndex));
            lines.Add(("raft_metadata_applied_index", metadata.AppliedIndex));
        }

        lines.Add(("raft_voters", string.Join(',', data.Conf.Voters)));
        lines.Add(("raft_learners", string.Join(',', data.Conf.Learners)));
        lines.Add(("raft_snapshots_taken", cluster.SnapshotsTaken));
        lines.Add(("raft_snapshots_installed", cluster.SnapshotsInstalled));
        lines.Add(("raft_members", string.Join(',', cluster.Members)));
    }
}
