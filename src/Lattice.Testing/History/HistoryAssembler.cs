using System.Globalization;
using Lattice.Common;

namespace Lattice.Testing.History;

/// <summary>
/// Pairs invoke and completion events into operations. An invoke never completed (the client or
/// the whole run died) becomes Info: it may or may not have taken effect.
/// </summary>
internal sealed class HistoryAssembler(int maxOperations)
{
    private readonly Dictionary<long, int> _indexById = [];
    private readonly List<HistoryOperation> _operations = [];
    private readonly HashSet<long> _pending = [];

    public void Add(HistoryEvent line, int lineNumber)
    {
        switch (line.Type)
        {
            case HistoryEventType.Invoke:
                Append(line, new HistoryOperation(
                    line.Id, line.Process, line.Kind, line.Key, line.Value, line.Expected, line.Time, long.MaxValue, OperationOutcome.Info), lineNumber);
                _pending.Add(line.Id);
                break;
            case HistoryEventType.Operation:
                Append(line, new HistoryOperation(
                    line.Id, line.Process, line.Kind, line.Key, line.Value, line.Expected, line.Time, line.CompleteTime, line.Outcome), lineNumber);
                break;
            default:
                CompletePending(line, lineNumber);
                break;
        }
    }

    public List<HistoryOperation> Finish()
    {
        Invariant.Check(_indexById.Count == _operations.Count, "every operation is indexed once");
        return _operations;
    }

    private void Append(HistoryEvent line, HistoryOperation operation, int lineNumber)
    {
        if (_operations.Count >= maxOperations)
        {
            throw new FormatException(Message(lineNumber, $"more than {maxOperations} operations"));
        }

        if (!_indexById.TryAdd(line.Id, _operations.Count))
        {
            throw new FormatException(Message(lineNumber, $"operation id {line.Id} appears twice"));
        }

        _operations.Add(operation);
    }

    private void CompletePending(HistoryEvent line, int lineNumber)
    {
        if (!_pending.Remove(line.Id))
        {
            throw new FormatException(Message(lineNumber, $"completion of operation {line.Id}, which is not pending"));
        }

        int index = _indexById[line.Id];
        HistoryOperation invoked = _operations[index];
        bool isRead = invoked.Kind == OperationKind.Read;
        _operations[index] = invoked with
        {
            Value = isRead ? (line.Outcome == OperationOutcome.Ok ? line.Value : null) : invoked.Value,
            CompleteTime = line.Outcome == OperationOutcome.Info ? long.MaxValue : line.Time,
            Outcome = line.Outcome,
        };
    }

    private static string Message(int lineNumber, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"history line {lineNumber}: {problem}");
}
