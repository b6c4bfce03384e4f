using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// The call and return events of one key's operations in time order, as a doubly linked list over
/// arrays. Linearizing an operation unlinks its call and return; backtracking relinks them in the
/// reverse order, which restores the list exactly (the "dancing links" trick), so no copies are made.
/// </summary>
internal sealed class LinearizationEntryList
{
    public const int Head = 0;

    private readonly int[] _next;
    private readonly int[] _previous;
    private readonly int[] _operationIndex;
    private readonly int[] _returnOf;
    private readonly bool[] _isCall;

    public LinearizationEntryList(IReadOnlyList<HistoryOperation> operations)
    {
        int operationCount = operations.Count;
        int entryCount = (2 * operationCount) + 2;
        Tail = entryCount - 1;
        _next = new int[entryCount];
        _previous = new int[entryCount];
        _operationIndex = new int[entryCount];
        _returnOf = new int[entryCount];
        _isCall = new bool[entryCount];
        Link(SortedEvents(operations));
        Invariant.Check(_next[Head] != Tail || operationCount == 0, "entry list must hold every event");
    }

    public int Tail { get; }

    public int First => _next[Head];

    public int Next(int entry) => _next[entry];

    public bool IsCall(int entry) => _isCall[entry];

    public int OperationIndex(int entry) => _operationIndex[entry];

    /// <summary>Removes a call and its matching return.</summary>
    public void Lift(int callEntry)
    {
        Invariant.Check(_isCall[callEntry], "only a call entry can be lifted");
        Unlink(callEntry);
        Unlink(_returnOf[callEntry]);
    }

    /// <summary>Undoes the most recent <see cref="Lift"/> of this call.</summary>
    public void Unlift(int callEntry)
    {
        Invariant.Check(_isCall[callEntry], "only a call entry can be unlifted");
        Relink(_returnOf[callEntry]);
        Relink(callEntry);
    }

    private void Unlink(int entry)
    {
        _next[_previous[entry]] = _next[entry];
        _previous[_next[entry]] = _previous[entry];
    }

    private void Relink(int entry)
    {
        _next[_previous[entry]] = entry;
        _previous[_next[entry]] = entry;
    }

    // Events sort by time; at equal times calls come first, so operations that touch in time are
    // treated as concurrent: with one monotonic clock, equal stamps do not prove an order.
    private static List<(long Time, int IsReturn, int Operation)> SortedEvents(IReadOnlyList<HistoryOperation> operations)
    {
        var events = new List<(long Time, int IsReturn, int Operation)>(operations.Count * 2);
        for (int i = 0; i < operations.Count; i++)
        {
            HistoryOperation operation = operations[i];
            long returnTime = operation.Outcome == OperationOutcome.Info ? long.MaxValue : operation.CompleteTime;
            events.Add((operation.InvokeTime, 0, i));
            events.Add((returnTime, 1, i));
        }

        events.Sort();
        return events;
    }

    private void Link(List<(long Time, int IsReturn, int Operation)> events)
    {
        var callEntryOf = new int[events.Count / 2];
        int previous = Head;
        for (int i = 0; i < events.Count; i++)
        {
            int entry = i + 1;
            (_, int isReturn, int operation) = events[i];
            _operationIndex[entry] = operation;
            _isCall[entry] = isReturn == 0;
            if (isReturn == 0)
            {
                callEntryOf[operation] = entry;
            }
            else
            {
                _returnOf[callEntryOf[operation]] = entry;
            }

            _previous[entry] = previous;
            _next[previous] = entry;
            previous = entry;
        }

        _next[previous] = Tail;
        _previous[Tail] = previous;
    }
}
