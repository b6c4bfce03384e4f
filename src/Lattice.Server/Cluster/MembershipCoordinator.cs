using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Server.Cluster;

/// <summary>
/// The membership procedures, run from whichever node an administrator (or a joining node) asked. Every step is
/// submitted to the group's leader and then confirmed by watching this node's applied state, and submitted again
/// while it has not shown up (a step can be lost with a leader change); each procedure can be re-run safely.
/// <list type="bullet">
/// <item>add: record the address (metadata), add as learner to every group, wait until the new node has applied
/// what was committed when it was added, then promote it to voter in every group;</item>
/// <item>remove: move leadership of every group it leads elsewhere first, remove it from every group, then forget
/// its address;</item>
/// <item>transfer: make it the leader of every group.</item>
/// </list>
/// </summary>
internal sealed class MembershipCoordinator(ClusterNode node, Action<string> log)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Resubmit = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private static readonly ulong[] Groups = [ClusterNode.MetadataGroupId, ClusterNode.KeyspaceGroupId];

    /// <summary>Returns null on success, or why it stopped.</summary>
    public async Task<string?> AddNodeAsync(ClusterMember member)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (ClusterMember existing in node.Members)
            {
                if (existing.Id != member.Id && existing.Host == member.Host && (existing.RespPort == member.RespPort || existing.PeerPort == member.PeerPort))
                {
                    return $"ERR node {existing.Id} already uses that address";
                }
            }

            log($"membership: adding node {member}");
            string? error = await StepAsync($"record the address of node {member.Id}",
                () => node.SubmitGroupOp(ClusterNode.MetadataGroupId, GroupOp.ProposeEntry, 0, MetadataEntry.SetMember(member)),
                () => node.Members.Contains(member)).ConfigureAwait(false);
            var targets = new Dictionary<ulong, ulong>();
            foreach (ulong group in Groups)
            {
                error ??= await StepAsync($"add node {member.Id} to group {group} as a learner",
                    () => ProposeChange(group, ConfChangeType.AddLearner, member.Id),
                    () => Conf(group)?.IsMember(member.Id) == true).ConfigureAwait(false);
                targets[group] = node.GroupStatusOf(group)?.CommitIndex ?? 0;
            }

            error ??= await WaitForCatchUpAsync(member, targets).ConfigureAwait(false);
            foreach (ulong group in Groups)
            {
                error ??= await StepAsync($"promote node {member.Id} to voter in group {group}",
                    () => ProposeChange(group, ConfChangeType.AddVoter, member.Id),
                    () => Conf(group)?.IsVoter(member.Id) == true).ConfigureAwait(false);
            }

            log(error is null ? $"membership: node {member.Id} is a voter" : $"membership: adding node {member.Id} stopped: {error}");
            return error;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task<string?> RemoveNodeAsync(ulong id)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (ulong group in Groups)
            {
                if (Conf(group) is { } conf && conf.IsVoter(id) && conf.Voters.Length == 1)
                {
                    return $"ERR node {id} is the last voter of group {group}; it cannot be removed";
                }
            }

            log($"membership: removing node {id}");
            string? error = null;
            foreach (ulong group in Groups)
            {
                if (node.GroupStatusOf(group)?.Leader == id)
                {
                    byte[] leaving = new byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(leaving, id);
                    error ??= await StepAsync($"move leadership of group {group} away from node {id}",
                        () => node.SubmitGroupOp(group, GroupOp.MoveLeadershipAway, 0, leaving),
                        () => node.GroupStatusOf(group) is { Leader: not 0 } status && status.Leader != id).ConfigureAwait(false);
                }

                error ??= await StepAsync($"remove node {id} from group {group}",
                    () => ProposeChange(group, ConfChangeType.RemoveNode, id),
                    () => Conf(group)?.IsMember(id) == false).ConfigureAwait(false);
            }

            error ??= await StepAsync($"forget the address of node {id}",
                () => node.SubmitGroupOp(ClusterNode.MetadataGroupId, GroupOp.ProposeEntry, 0, MetadataEntry.RemoveMember(id)),
                () => ClusterMember.Find(node.Members, id) is null).ConfigureAwait(false);
            log(error is null ? $"membership: node {id} removed" : $"membership: removing node {id} stopped: {error}");
            return error;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task<string?> TransferLeaderAsync(ulong id)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            string? error = null;
            foreach (ulong group in Groups)
            {
                if (Conf(group)?.IsVoter(id) != true)
                {
                    return $"ERR node {id} is not a voter of group {group}";
                }

                error ??= await StepAsync($"transfer leadership of group {group} to node {id}",
                    () => node.SubmitGroupOp(group, GroupOp.TransferLeader, id, []),
                    () => node.GroupStatusOf(group)?.Leader == id).ConfigureAwait(false);
            }

            return error;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private ConfState? Conf(ulong group) => node.GroupStatusOf(group)?.Conf;

    private void ProposeChange(ulong group, ConfChangeType type, ulong id) =>
        node.SubmitGroupOp(group, GroupOp.ProposeConfChange, 0, ConfChangeRequest.Single(type, id).Encode());

    private static async Task<string?> StepAsync(string what, Action submit, Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan nextSubmit = TimeSpan.Zero;
        while (!done())
        {
            if (clock.Elapsed > StepTimeout)
            {
                return $"ERR could not {what} within {StepTimeout.TotalSeconds:F0} s (no leader, or a change already in progress); run the command again";
            }

            if (clock.Elapsed >= nextSubmit)
            {
                submit();
                nextSubmit = clock.Elapsed + Resubmit;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The learner must have applied, in every group, what was committed when it was added.</summary>
    private static async Task<string?> WaitForCatchUpAsync(ClusterMember member, Dictionary<ulong, ulong> targets)
    {
        var clock = Stopwatch.StartNew();
        string last = "not reachable yet";
        while (clock.Elapsed < CatchUpTimeout)
        {
            try
            {
                Dictionary<string, string> info = await AdminClient.InfoAsync(member.ClientAddress, "replication", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                ulong data = Field(info, "raft_applied_index");
                ulong metadata = Field(info, "raft_metadata_applied_index");
                if (data >= targets[ClusterNode.KeyspaceGroupId] && metadata >= targets[ClusterNode.MetadataGroupId])
                {
                    return null;
                }

                last = $"applied {data} of {targets[ClusterNode.KeyspaceGroupId]}";
            }
            catch (Exception e) when (e is IOException or AdminCommandException or FormatException)
            {
                last = e.Message;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        return $"ERR node {member.Id} was added as a learner but has not caught up ({last}); start it, then run add-node again to promote it";
    }

    private static ulong Field(Dictionary<string, string> info, string name) =>
        info.TryGetValue(name, out string? text) ? ulong.Parse(text, CultureInfo.InvariantCulture) : 0;
}
