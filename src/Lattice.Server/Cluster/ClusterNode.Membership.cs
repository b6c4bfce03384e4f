using System.Buffers.Binary;
using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Server.Cluster;

/// <summary>
/// Membership: administration steps run on each group's leader (forwarded there from any node), and a joining node
/// asks a member to add it (learner, catch-up, promotion; see <see cref="MembershipCoordinator"/>).
/// </summary>
public sealed partial class ClusterNode
{
    private CancellationTokenSource? _joining;

    /// <summary>Runs the add / remove / transfer procedures from this node.</summary>
    internal MembershipCoordinator Coordinator => _coordinator ??= new MembershipCoordinator(this, _log);

    private MembershipCoordinator? _coordinator;

    internal void SubmitGroupOp(ulong groupId, byte op, ulong argument, byte[] payload)
    {
        lock (_inboxLock)
        {
            _inGroupOps.Add(new GroupOp(groupId, op, argument, payload, Local: true));
        }

        _wake.Set();
    }

    /// <summary>The latest published status of one group.</summary>
    internal GroupStatus? GroupStatusOf(ulong groupId)
    {
        foreach (GroupStatus group in Status.Groups)
        {
            if (group.GroupId == groupId)
            {
                return group;
            }
        }

        return null;
    }

    private void HandleGroupOps()
    {
        foreach (GroupOp op in _workGroupOps)
        {
            if (!_groups.TryGetValue(op.GroupId, out ReplicatedGroup? group))
            {
                continue;
            }

            RawNode raft = group.Raft;
            if (raft.Role == RaftRole.Leader)
            {
                RunGroupOp(group, op);
            }
            else if (op.Local && raft.Leader != 0 && raft.Leader != NodeId)
            {
                byte[] body = new byte[17 + op.Payload.Length];
                BinaryPrimitives.WriteUInt64LittleEndian(body, op.GroupId);
                body[8] = op.Op;
                BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(9), op.Argument);
                op.Payload.CopyTo(body, 17);
                _transport!.SendFrame(raft.Leader, PeerFrameKinds.GroupOp, body);
            }
        }

        _workGroupOps.Clear();
    }

    private void RunGroupOp(ReplicatedGroup group, GroupOp op)
    {
        switch (op.Op)
        {
            case GroupOp.ProposeEntry when group == _meta && MetadataEntry.TryRead(op.Payload, out _, out _, out _):
                group.Raft.Propose(op.Payload);
                break;
            case GroupOp.ProposeConfChange when ConfChangeRequest.TryDecode(op.Payload, out ConfChangeRequest request):
                group.Raft.ProposeConfChange(request);
                break;
            case GroupOp.TransferLeader when op.Argument != 0 && op.Argument != NodeId && group.ConfState.IsVoter(op.Argument):
                group.Raft.TransferLeader(op.Argument);
                break;
            case GroupOp.MoveLeadershipAway when op.Payload.Length == 8:
                if (BinaryPrimitives.ReadUInt64LittleEndian(op.Payload) == NodeId && BestSuccessor(group) is var successor and not 0)
                {
                    group.Raft.TransferLeader(successor);
                }

                break;
            default:
                _log($"cluster: refused an invalid operation {op.Op} for group {op.GroupId}");
                break;
        }
    }

    /// <summary>The voter (not this leader) heard from within the last election timeout with the most of the log; 0 if none.</summary>
    private ulong BestSuccessor(ReplicatedGroup group)
    {
        ulong best = 0;
        ulong bestMatch = 0;
        foreach (ulong voter in group.ConfState.Voters)
        {
            if (voter != NodeId && group.Raft.TryGetProgress(voter, out ProgressStatus progress) && progress.HeardRecently
                && (best == 0 || progress.Match > bestMatch))
            {
                best = voter;
                bestMatch = progress.Match;
            }
        }

        return best;
    }

    /// <summary>A node started with --join asks its seed to add it, until that succeeds or the node stops.</summary>
    private void StartJoining(string seed)
    {
        _joining = new CancellationTokenSource();
        CancellationToken stop = _joining.Token;
        ClusterMember self = _options.Self;
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await AdminClient.CommandAsync(seed, ["LATTICE", "ADD-NODE", self.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), self.Address],
                        TimeSpan.FromMinutes(2)).ConfigureAwait(false);
                    _log($"cluster: joined through {seed}: node {self.Id} is a voter");
                    return;
                }
                catch (Exception e) when (e is IOException or AdminCommandException)
                {
                    _log($"cluster: joining through {seed}: {e.Message}; retrying");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    private void StopJoining()
    {
        _joining?.Cancel();
        _joining?.Dispose();
    }
}
