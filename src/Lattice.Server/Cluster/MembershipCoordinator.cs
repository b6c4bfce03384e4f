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
    private static readonly TimeSpan QuorumSettleTime = TimeSpan.FromSeconds(3);
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

            if (await QuorumAfterRemovalSettledAsync(id).ConfigureAwait(false) is { } refusal)
            {
                log($"membership: not removing node {id}: {refusal}");
                return refusal;
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

    /// <summary>
    /// The check below, asked again for a few seconds while it fails: a leader that was just elected, or that has just
    /// started a new CheckQuorum round, has not heard from every live peer yet (one heartbeat interval away).
    /// </summary>
    private async Task<string?> QuorumAfterRemovalSettledAsync(ulong id)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            string? refusal = await QuorumAfterRemovalAsync(id).ConfigureAwait(false);
            if (refusal is null || waited.Elapsed > QuorumSettleTime)
            {
                return refusal;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// etcd's strict reconfiguration check: a removal must leave a majority of the remaining voters reachable by the
    /// leader (heard from within the last one to two election timeouts), or the cluster would stop until the down ones
    /// return. Judged from the data group's leader's view (the metadata group has the same members). Null when the
    /// removal may go on.
    /// </summary>
    private async Task<string?> QuorumAfterRemovalAsync(ulong id)
    {
        if (node.GroupStatusOf(ClusterNode.KeyspaceGroupId) is not { } data || data.Leader == 0)
        {
            return "CLUSTERDOWN no leader is known right now; retry the removal";
        }

        if (!data.Conf.IsVoter(id))
        {
            return null;
        }

        var reachable = new HashSet<ulong> { data.Leader };
        if (data.Leader == node.NodeId)
        {
            foreach (MemberProgress progress in data.Progress)
            {
                if (progress.HeardRecently)
                {
                    reachable.Add(progress.NodeId);
                }
            }
        }
        else if (ClusterMember.Find(node.Members, data.Leader) is { } leader)
        {
            Dictionary<string, string> info;
            try
            {
                info = await AdminClient.InfoAsync($"{leader.Host}:{leader.RespPort}", "replication", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or AdminCommandException or TimeoutException or OperationCanceledException)
            {
                return $"TRYAGAIN could not ask the leader (node {data.Leader}) which voters it hears from: {e.Message}";
            }

            foreach ((string name, string value) in info)
            {
                if (name.StartsWith("slave", StringComparison.Ordinal) && value.Contains("state=online", StringComparison.Ordinal) &&
                    FindByAddress(value) is { } replica)
                {
                    reachable.Add(replica);
                }
            }
        }

        int remaining = 0;
        int remainingReachable = 0;
        foreach (ulong voter in data.Conf.Voters)
        {
            if (voter != id)
            {
                remaining++;
                remainingReachable += reachable.Contains(voter) ? 1 : 0;
            }
        }

        int majority = (remaining / 2) + 1;
        return remainingReachable >= majority
            ? null
            : $"ERR refused: removing node {id} would leave {remainingReachable} of {remaining} remaining voters reachable by the leader, " +
              $"fewer than the {majority} a majority needs; bring the others back (or remove a node that is down) first";
    }

    /// <summary>The member whose client address an INFO replication line (<c>ip=H,port=P,...</c>) names.</summary>
    private ulong? FindByAddress(string line)
    {
        string? host = null;
        int port = 0;
        foreach (string part in line.Split(','))
        {
            if (part.StartsWith("ip=", StringComparison.Ordinal))
            {
                host = part[3..];
            }
            else if (part.StartsWith("port=", StringComparison.Ordinal))
            {
                _ = int.TryParse(part[5..], NumberStyles.None, CultureInfo.InvariantCulture, out port);
            }
        }

        foreach (ClusterMember member in node.Members)
        {
            if (member.Host == host && member.RespPort == port)
            {
                return member.Id;
            }
        }

        return null;
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
