using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// Wing and Gong's search for a linearization of one key's operations, with Lowe's memoization.
/// It walks the time-ordered events: at a call it tries to linearize that operation now (the model
/// must accept it and the (linearized set, state) pair must be new); at a return it has met an
/// operation that had to take effect already but has not, so it undoes the last choice and tries
/// the next candidate. Info operations return at infinity, so they may be placed anywhere after
/// their call; the search succeeds once every Ok operation is placed, leaving the rest unapplied.
/// Read-only operations the model accepts are placed at once and never branched on.
/// </summary>
internal sealed class WglSearch<TState>
{
    private const ulong OperationHashSeed = 0x4C_49_4E_45_41_52UL;
    private const int NoEntry = -1;

    private readonly IModel<TState> _model;
    private readonly IReadOnlyList<HistoryOperation> _operations;
    private readonly bool[] _isReadOnly;
    private readonly LinearizationEntryList _entries;
    private readonly LinearizationCache<TState> _cache;
    private readonly ulong[] _linearizedBits;
    private readonly ulong[] _operationHashes;
    private readonly Frame[] _frames;
    private readonly LinearizationProgress<TState> _progress;
    private int _depth;
    private ulong _linearizedHash;
    private TState _state;
    private int _remainingOk;
    private long _steps;

    public WglSearch(IModel<TState> model, IReadOnlyList<HistoryOperation> operations, LinearizabilityOptions options)
    {
        _model = model;
        _operations = operations;
        _isReadOnly = operations.Select(model.IsReadOnly).ToArray();
        _entries = new LinearizationEntryList(operations);
        _cache = new LinearizationCache<TState>(model.StateComparer, options.MaxCacheEntriesPerKey);
        _linearizedBits = new ulong[(operations.Count + 63) / 64];
        _operationHashes = new ulong[operations.Count];
        var random = new DeterministicRandom(OperationHashSeed);
        for (int i = 0; i < _operationHashes.Length; i++)
        {
            _operationHashes[i] = random.NextUInt64();
        }

        _frames = new Frame[operations.Count];
        _progress = new LinearizationProgress<TState>(model.InitialState);
        _state = model.InitialState;
        _remainingOk = operations.Count(operation => operation.Outcome == OperationOutcome.Ok);
    }

    public LinearizationProgress<TState> Progress => _progress;

    /// <summary>Runs to a verdict (null: unknown) or until <paramref name="maxSteps"/> events have been visited.</summary>
    public (bool? IsLinearizable, long StepsTaken) Run(long maxSteps)
    {
        int entry = PlaceEnabledReads() ? _entries.First : NoEntry;
        while (_remainingOk > 0 && entry != NoEntry)
        {
            if (++_steps > maxSteps || _cache.IsFull)
            {
                return (null, _steps);
            }

            Invariant.Check(entry != _entries.Tail, "an unplaced Ok operation's return must come before the tail");
            if (!_entries.IsCall(entry))
            {
                _progress.NoteStuck(_frames.AsSpan(0, _depth), _entries, _entries.OperationIndex(entry), _state);
                entry = Backtrack();
            }
            else if (!TryLinearize(entry, forced: false))
            {
                entry = _entries.Next(entry);
            }
            else
            {
                entry = PlaceEnabledReads() ? _entries.First : Backtrack();
            }
        }

        Invariant.Check(_depth <= _operations.Count, "cannot linearize more operations than exist");
        return (_remainingOk == 0, _steps);
    }

    /// <summary>
    /// Places every read-only candidate the model accepts now. False if that reaches a configuration
    /// already explored, which therefore failed, so the current one fails too.
    /// </summary>
    private bool PlaceEnabledReads()
    {
        int entry = _entries.First;
        while (entry != _entries.Tail && _entries.IsCall(entry))
        {
            _steps++;
            int operation = _entries.OperationIndex(entry);
            if (!_isReadOnly[operation] || !_model.Step(_state, _operations[operation]).Ok)
            {
                entry = _entries.Next(entry);
                continue;
            }

            if (!TryLinearize(entry, forced: true))
            {
                return false;
            }

            entry = _entries.First;
        }

        return true;
    }

    private bool TryLinearize(int callEntry, bool forced)
    {
        int operation = _entries.OperationIndex(callEntry);
        (bool ok, TState next) = _model.Step(_state, _operations[operation]);
        if (!ok)
        {
            return false;
        }

        ToggleLinearized(operation);
        if (!_cache.TryAdd(_linearizedBits, _linearizedHash, next))
        {
            ToggleLinearized(operation);
            return false;
        }

        _frames[_depth++] = new Frame(callEntry, _state, forced);
        _state = next;
        _entries.Lift(callEntry);
        if (_operations[operation].Outcome == OperationOutcome.Ok)
        {
            _remainingOk--;
        }

        _progress.NoteDepth(_frames.AsSpan(0, _depth), _entries, _state);
        return true;
    }

    /// <summary>
    /// Undoes choices back to the latest one that has alternatives and returns the entry after its
    /// call, the next candidate there; <see cref="NoEntry"/> when none is left. A forced read has
    /// no alternatives: if the configuration after it failed, so did the one before it.
    /// </summary>
    private int Backtrack()
    {
        while (_depth > 0)
        {
            Frame frame = _frames[--_depth];
            int operation = _entries.OperationIndex(frame.CallEntry);
            ToggleLinearized(operation);
            _state = frame.PreviousState;
            _entries.Unlift(frame.CallEntry);
            if (_operations[operation].Outcome == OperationOutcome.Ok)
            {
                _remainingOk++;
            }

            if (!frame.Forced)
            {
                return _entries.Next(frame.CallEntry);
            }
        }

        Invariant.Check(_remainingOk > 0, "a failed search leaves an Ok operation unplaced");
        return NoEntry;
    }

    private void ToggleLinearized(int operation)
    {
        _linearizedBits[operation >> 6] ^= 1UL << (operation & 63);
        _linearizedHash ^= _operationHashes[operation];
    }

    internal readonly record struct Frame(int CallEntry, TState PreviousState, bool Forced);
}
