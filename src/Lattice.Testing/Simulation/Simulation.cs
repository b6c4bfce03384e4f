using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// One seeded run of a whole cluster, single-threaded on virtual time: a safety phase with faults, then a
/// liveness phase after everything heals, then the history checker. The same seed gives the same run.
/// </summary>
internal sealed partial class Simulation
{
    private const long ControlIntervalUnits = 5;
    private const long MaxEvents = 5_000_000;
    private readonly SimulationConfig _config;
    private readonly PriorityQueue<SimulationEvent, (long Time, long Sequence)> _events = new();
    private readonly SimulatedNode[] _nodes;
    private readonly SafetyChecker _checker = new();
    private readonly SimulationTrace _trace;
    private DeterministicRandom _random;
    private long _sequence;
    private long _eventCount;
    private bool _livenessPhase;
    private bool _livenessReached;

    public Simulation(SimulationConfig config)
    {
        _config = config;
        _trace = new SimulationTrace(config.TraceCapacity);
        _random = new DeterministicRandom(config.Seed);
        var voters = new ulong[config.InitialVoterCount];
        var learners = new ulong[config.NodeCount - config.InitialVoterCount];
        for (int i = 0; i < config.NodeCount; i++)
        {
            if (i < voters.Length)
            {
                voters[i] = (ulong)i + 1;
            }
            else
            {
                learners[i - voters.Length] = (ulong)i + 1;
            }
        }

        var initial = new ConfState(voters, [], learners, [], false);
        _nodes = new SimulatedNode[config.NodeCount];
        _connected = new bool[config.NodeCount, config.NodeCount];
        for (int i = 0; i < config.NodeCount; i++)
        {
            int interval = (int)_random.NextInt64(config.MinTickIntervalUnits, config.MaxTickIntervalUnits + 1);
            _nodes[i] = new SimulatedNode((ulong)i + 1, initial, interval);
        }

        HealPartition();
    }

    public long Now { get; private set; }

    internal SimulationTrace Trace => _trace;

    internal SafetyChecker Checker => _checker;

    internal IReadOnlyList<SimulatedNode> Nodes => _nodes;

    public static SimulationResult Run(SimulationConfig config)
    {
        var simulation = new Simulation(config);
        return simulation.Execute();
    }

    private SimulationResult Execute()
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            StartNode(i);
        }

        Schedule(ControlIntervalUnits, new SimulationEvent(SimulationEventKind.Control, 0, 0, default));
        string? violation = RunLoop();
        bool unknown = false;
        if (violation is null)
        {
            (violation, unknown) = CheckHistory();
        }

        if (violation is not null)
        {
            _trace.Note(Now, TraceKind.Violation, 0, 0, 0, violation);
        }

        return new SimulationResult(_config.Seed, _config.NodeCount, violation, _trace.Format(),
            _trace.Hash, _eventCount, Now, _history.Count, unknown);
    }

    private string? RunLoop()
    {
        long end = _config.SafetyPhaseUnits + _config.LivenessBoundUnits;
        while (_events.TryDequeue(out SimulationEvent next, out var priority))
        {
            Invariant.Check(priority.Time >= Now, "virtual time never goes backwards");
            Now = priority.Time;
            _eventCount++;
            try
            {
                Dispatch(next);
            }
            catch (InvariantViolationException exception)
            {
                return "invariant in a node: " + exception.Message;
            }

            if (_checker.Violation is not null)
            {
                return _checker.Violation;
            }

            if (_livenessReached)
            {
                return null;
            }

            if (Now > end || _eventCount > MaxEvents)
            {
                return $"liveness: no stable leader with everything committed and applied within {_config.LivenessBoundUnits} units after the last heal";
            }
        }

        return "event queue ran dry";
    }

    private void Dispatch(in SimulationEvent next)
    {
        switch (next.Kind)
        {
            case SimulationEventKind.Deliver:
                Deliver(next.Message);
                break;
            case SimulationEventKind.Tick:
                OnTick(next.Node, next.Incarnation);
                break;
            case SimulationEventKind.SyncDone:
                OnSyncDone(next.Node, next.Incarnation);
                break;
            default:
                OnControl();
                Schedule(ControlIntervalUnits, next);
                break;
        }
    }

    private void Schedule(long delayUnits, SimulationEvent simulationEvent)
    {
        Invariant.Check(delayUnits >= 0, "events are scheduled in the future");
        _events.Enqueue(simulationEvent, (Now + delayUnits, _sequence++));
    }

    private void OnTick(int node, int incarnation)
    {
        SimulatedNode target = _nodes[node];
        if (!target.IsUp || target.Incarnation != incarnation)
        {
            return;
        }

        target.Raft!.Tick();
        AfterStep(target);
        Schedule(target.TickIntervalUnits, new SimulationEvent(SimulationEventKind.Tick, node, incarnation, default));
    }

    private void Deliver(in RaftMessage message)
    {
        int to = (int)message.To - 1;
        SimulatedNode target = _nodes[to];
        if (!target.IsUp || !_connected[(int)message.From - 1, to])
        {
            _trace.Message(Now, TraceKind.Drop, message);
            return;
        }

        _trace.Message(Now, TraceKind.Deliver, message);
        target.Raft!.Step(message);
        AfterStep(target);
    }

    /// <summary>After anything touched a node: leader checks, then let it produce its next Ready.</summary>
    private void AfterStep(SimulatedNode node)
    {
        RawNode raft = node.Raft!;
        if (raft.Role == RaftRole.Leader && node.LeaderTermChecked != raft.Term)
        {
            node.LeaderTermChecked = raft.Term;
            _trace.Note(Now, TraceKind.Leader, node.Id, raft.Term, raft.LastIndex, "became leader");
            _checker.OnLeader(node.Id, raft);
        }

        if (raft.Leader != 0 && raft.Leader != node.Id)
        {
            _checker.OnFollower(node.Id, raft.Term, raft.Leader);
        }

        Pump(node);
    }
}
