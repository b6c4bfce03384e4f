using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>Faults: partitions of several shapes, crashes with restarts, and the heal before the liveness phase.</summary>
internal sealed partial class Simulation
{
    private readonly bool[,] _connected;
    private bool _networkFaults = true;
    private bool _partitioned;
    private long _healTime;

    private void OnControl()
    {
        if (_livenessPhase)
        {
            OnLivenessControl();
            return;
        }

        if (Now >= _config.SafetyPhaseUnits)
        {
            StartLivenessPhase();
            return;
        }

        RestartDueNodes();
        if (_partitioned && Now >= _healTime)
        {
            HealPartition();
            _trace.Note(Now, TraceKind.Heal, 0, 0, 0, "heal");
        }

        if (!_partitioned && _random.NextDouble() < _config.PartitionRate * ControlIntervalUnits)
        {
            StartPartition();
        }

        if (_random.NextDouble() < _config.CrashRate * ControlIntervalUnits)
        {
            CrashSomeNode();
        }

        MaybeChangeMembership();
        MaybeTransferLeadership();
        RunClients();
    }

    private void RestartDueNodes()
    {
        foreach (SimulatedNode node in _nodes)
        {
            if (!node.IsUp && Now >= node.RestartTime)
            {
                Restart(node);
            }
        }
    }

    private void CrashSomeNode()
    {
        int down = 0;
        foreach (SimulatedNode node in _nodes)
        {
            down += node.IsUp ? 0 : 1;
        }

        // Mostly a minority is down at once; sometimes more, which stalls the group until restarts.
        int maxDown = _random.NextInt(8) == 0 ? _nodes.Length : (_nodes.Length - 1) / 2;
        if (down >= maxDown)
        {
            return;
        }

        SimulatedNode victim = PickCrashVictim();
        if (!victim.IsUp)
        {
            return;
        }

        Crash(victim);
        victim.RestartTime = Now + _random.NextInt64(20, 600);
    }

    /// <summary>Leaders and nodes with an unsynced write are the interesting victims, so they are picked more often.</summary>
    private SimulatedNode PickCrashVictim()
    {
        int choice = _random.NextInt(3);
        if (choice == 0 && FindLeader() is { } leader)
        {
            return leader;
        }

        int start = _random.NextInt(_nodes.Length);
        for (int i = 0; choice == 1 && i < _nodes.Length; i++)
        {
            SimulatedNode node = _nodes[(start + i) % _nodes.Length];
            if (node.SyncInFlight)
            {
                return node;
            }
        }

        return _nodes[start];
    }

    private SimulatedNode? FindLeader()
    {
        SimulatedNode? best = null;
        foreach (SimulatedNode node in _nodes)
        {
            if (node.IsUp && node.Raft!.Role == RaftRole.Leader && (best is null || node.Raft.Term > best.Raft!.Term))
            {
                best = node;
            }
        }

        return best;
    }

    private void StartPartition()
    {
        int n = _nodes.Length;
        var shape = (PartitionShape)_random.NextInt(5);
        var side = new int[n];
        int isolated = shape == PartitionShape.IsolateLeader && FindLeader() is { } leader ? (int)leader.Id - 1 : _random.NextInt(n);
        int bridge = _random.NextInt(n);
        for (int i = 0; i < n; i++)
        {
            side[i] = shape switch
            {
                PartitionShape.IsolateLeader or PartitionShape.IsolateOne => i == isolated ? 1 : 0,
                _ => _random.NextInt(2),
            };
        }

        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                _connected[a, b] = shape switch
                {
                    PartitionShape.Ring => a == b || (a + 1) % n == b || (b + 1) % n == a,
                    PartitionShape.Bridge => side[a] == side[b] || a == bridge || b == bridge,
                    _ => side[a] == side[b],
                };
            }
        }

        _partitioned = true;
        _healTime = Now + _random.NextInt64(50, 1200);
        _trace.Note(Now, TraceKind.Partition, (ulong)isolated + 1, 0, 0, $"partition {shape}");
    }

    private void HealPartition()
    {
        int n = _nodes.Length;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                _connected[a, b] = true;
            }
        }

        _partitioned = false;
    }

    /// <summary>The last heal: network whole, every node up, no more faults; the cluster must now make progress.</summary>
    private void StartLivenessPhase()
    {
        _livenessPhase = true;
        _networkFaults = false;
        HealPartition();
        foreach (SimulatedNode node in _nodes)
        {
            if (!node.IsUp)
            {
                Restart(node);
            }
        }

        _trace.Note(Now, TraceKind.Phase, 0, 0, 0, "liveness phase: healed, all nodes up, no faults");
    }

    private void OnLivenessControl()
    {
        ExpireClientOperations();
        SimulatedNode? leader = FindLeader();
        if (leader is null)
        {
            return;
        }

        RawNode raft = leader.Raft!;
        if (leader.Conf.IsJoint && !leader.Conf.AutoLeave)
        {
            raft.ProposeConfChange(Lattice.Raft.ConfChange.ConfChangeRequest.LeaveJoint);
            Pump(leader);
        }

        _livenessReached = _pendingOperations.Count == 0 && IsFullyReplicated(leader, raft);
    }

    /// <summary>The leader's whole log is committed in its term and every member has applied it.</summary>
    private bool IsFullyReplicated(SimulatedNode leader, RawNode raft)
    {
        ulong commit = raft.CommitIndex;
        if (commit != raft.LastIndex || !raft.TryGetTerm(commit, out ulong term) || term != raft.Term || leader.Conf.IsJoint)
        {
            return false;
        }

        foreach (SimulatedNode node in _nodes)
        {
            bool member = leader.Conf.IsMember(node.Id);
            if (member && (!node.IsUp || node.AppliedIndex < commit))
            {
                return false;
            }
        }

        Invariant.Check(leader.AppliedIndex == commit, "the leader applied its own commit");
        return true;
    }
}
