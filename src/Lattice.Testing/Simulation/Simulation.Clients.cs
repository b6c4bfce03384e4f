using Lattice.Common;
using Lattice.Raft;
using Lattice.Testing.History;
using Lattice.Testing.Linearizability;

namespace Lattice.Testing.Simulation;

/// <summary>
/// Simulated clients, one operation outstanding each: put, compare-and-set, and reads both through ReadIndex and
/// through the log. Every operation is recorded with its invoke and completion time for the history checker.
/// </summary>
internal sealed partial class Simulation
{
    private readonly List<HistoryOperation> _history = new();
    private readonly Dictionary<long, PendingClientOperation> _pendingOperations = new();
    private readonly List<long> _expired = new();
    private int[]? _clientProcesses;
    private bool[]? _clientBusy;
    private long _nextOperationId = 1;
    private int _nextProcess;
    private int _valueCounter;

    private void RunClients()
    {
        EnsureClients();
        ExpireClientOperations();
        for (int client = 0; client < _config.ClientCount; client++)
        {
            if (!_clientBusy![client] && _random.NextDouble() < _config.ClientRate)
            {
                Invoke(client);
            }
        }
    }

    private void EnsureClients()
    {
        if (_clientProcesses is not null)
        {
            return;
        }

        _clientProcesses = new int[_config.ClientCount];
        _clientBusy = new bool[_config.ClientCount];
        for (int i = 0; i < _clientProcesses.Length; i++)
        {
            _clientProcesses[i] = _nextProcess++;
        }
    }

    private void Invoke(int client)
    {
        string key = "k" + _random.NextInt(_config.KeyCount);
        int choice = _random.NextInt(100);
        if (choice < 30)
        {
            InvokeReadIndex(client, key);
            return;
        }

        // Clients do not know terms: they write to any node that believes it leads, stale leaders included.
        SimulatedNode? leader = FindAnyLeader();
        if (leader is null)
        {
            return;
        }

        long id = _nextOperationId++;
        KvCommand command = choice switch
        {
            < 65 => new KvCommand(KvCommandKind.Put, id, key, "v" + _valueCounter++, null),
            < 85 => new KvCommand(KvCommandKind.CompareAndSet, id, key, "v" + _valueCounter++, PickExpected(key, leader)),
            _ => new KvCommand(KvCommandKind.LogGet, id, key, null, null),
        };
        if (!leader.Raft!.Propose(command.Encode()))
        {
            return;
        }

        OperationKind kind = command.Kind switch
        {
            KvCommandKind.Put => OperationKind.Write,
            KvCommandKind.CompareAndSet => OperationKind.CompareAndSet,
            _ => OperationKind.Read,
        };
        Track(client, id, kind, key, command.Value, command.Expected, leader, viaReadIndex: false);
        Pump(leader);
    }

    private SimulatedNode? FindAnyLeader()
    {
        int start = _random.NextInt(_nodes.Length);
        for (int i = 0; i < _nodes.Length; i++)
        {
            SimulatedNode node = _nodes[(start + i) % _nodes.Length];
            if (node.IsUp && node.Raft!.Role == RaftRole.Leader)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Compare-and-set against the current value most of the time, so many of them succeed.</summary>
    private string? PickExpected(string key, SimulatedNode leader) =>
        _random.NextInt(4) == 0 ? "v" + _random.NextInt(Math.Max(1, _valueCounter)) : leader.Kv.Get(key);

    private void InvokeReadIndex(int client, string key)
    {
        // Half the reads go to a node that believes it leads (perhaps a stale one), half to any node.
        SimulatedNode? leader = _random.NextInt(2) == 0 ? FindAnyLeader() : null;
        SimulatedNode node = leader ?? _nodes[_random.NextInt(_nodes.Length)];
        if (!node.IsUp)
        {
            return;
        }

        long id = _nextOperationId++;
        Track(client, id, OperationKind.Read, key, null, null, node, viaReadIndex: true);
        node.Raft!.ReadIndex((ulong)id);
        Pump(node);
    }

    private void Track(int client, long id, OperationKind kind, string key, string? value, string? expected, SimulatedNode node, bool viaReadIndex)
    {
        _clientBusy![client] = true;
        _pendingOperations[id] = new PendingClientOperation
        {
            Id = id, Process = _clientProcesses![client], Client = client, Kind = kind, Key = key, Value = value,
            Expected = expected, InvokeTime = Now, DeadlineTime = Now + _config.ClientTimeoutUnits, NodeId = node.Id,
            Incarnation = node.Incarnation, ViaReadIndex = viaReadIndex,
        };
        _trace.Note(Now, TraceKind.ClientInvoke, node.Id, 0, (ulong)id, viaReadIndex ? "read-index " + key : kind + " " + key);
    }

    private void OnCommandApplied(SimulatedNode node, KvCommand command, bool applied, string? observed)
    {
        if (!_pendingOperations.TryGetValue(command.OperationId, out PendingClientOperation? operation) ||
            operation.NodeId != node.Id || operation.Incarnation != node.Incarnation)
        {
            return;
        }

        OperationOutcome outcome = applied ? OperationOutcome.Ok : OperationOutcome.Fail;
        string? value = operation.Kind == OperationKind.Read ? observed : operation.Value;
        Complete(operation, outcome, value);
    }

    private void OnReadState(SimulatedNode node, ReadState readState)
    {
        if (_pendingOperations.TryGetValue((long)readState.RequestId, out PendingClientOperation? operation) &&
            operation.ViaReadIndex && operation.NodeId == node.Id && operation.Incarnation == node.Incarnation)
        {
            operation.ReadIndex = readState.Index;
            operation.ReadIndexKnown = true;
        }
    }

    /// <summary>A ReadIndex read is answered once the node has applied up to its read index.</summary>
    private void ServeWaitingReads(SimulatedNode node)
    {
        _expired.Clear();
        foreach (PendingClientOperation operation in _pendingOperations.Values)
        {
            if (operation.ReadIndexKnown && operation.NodeId == node.Id && node.AppliedIndex >= operation.ReadIndex)
            {
                _expired.Add(operation.Id);
            }
        }

        foreach (long id in _expired)
        {
            PendingClientOperation operation = _pendingOperations[id];
            Complete(operation, OperationOutcome.Ok, node.Kv.Get(operation.Key));
        }
    }

    private void Complete(PendingClientOperation operation, OperationOutcome outcome, string? value)
    {
        Invariant.Check(_pendingOperations.Remove(operation.Id), "completing an operation twice");
        long completeTime = outcome == OperationOutcome.Info ? long.MaxValue : Now;
        _history.Add(new HistoryOperation(operation.Id, operation.Process, operation.Kind, operation.Key, value,
            operation.Expected, operation.InvokeTime, completeTime, outcome));
        _clientBusy![operation.Client] = false;
        if (outcome == OperationOutcome.Info)
        {
            // An indeterminate operation leaves its process hung; the client continues as a new process.
            _clientProcesses![operation.Client] = _nextProcess++;
        }

        _trace.Note(Now, TraceKind.ClientComplete, operation.NodeId, 0, (ulong)operation.Id, outcome + " " + value);
    }

    private void ExpireClientOperations()
    {
        _expired.Clear();
        foreach (PendingClientOperation operation in _pendingOperations.Values)
        {
            if (Now >= operation.DeadlineTime)
            {
                _expired.Add(operation.Id);
            }
        }

        _expired.Sort();
        foreach (long id in _expired)
        {
            Abandon(_pendingOperations[id]);
        }
    }

    private void AbandonClientOperations(SimulatedNode node)
    {
        _expired.Clear();
        foreach (PendingClientOperation operation in _pendingOperations.Values)
        {
            if (operation.NodeId == node.Id)
            {
                _expired.Add(operation.Id);
            }
        }

        _expired.Sort();
        foreach (long id in _expired)
        {
            Abandon(_pendingOperations[id]);
        }
    }

    /// <summary>Reads that never returned had no effect and are dropped; writes become indeterminate.</summary>
    private void Abandon(PendingClientOperation operation)
    {
        if (operation.Kind == OperationKind.Read)
        {
            Invariant.Check(_pendingOperations.Remove(operation.Id), "abandoning an unknown read");
            _clientBusy![operation.Client] = false;
            return;
        }

        Complete(operation, OperationOutcome.Info, operation.Value);
    }

    private (string? Violation, bool Unknown) CheckHistory()
    {
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(_history);
        if (result.IsLinearizable || result.IsUnknown)
        {
            return (null, result.IsUnknown);
        }

        return ($"history not linearizable on key {result.FailingKey}: {result.Explanation}", false);
    }
}
