using Lattice.Testing.History;

namespace Lattice.Testing.Tests.History;

/// <summary>Builds hand-written histories for checker tests; ids are assigned in order, from 1.</summary>
internal sealed class TestHistory
{
    private readonly List<HistoryOperation> _operations = [];

    public IReadOnlyList<HistoryOperation> Operations => _operations;

    public HistoryOperation Last => _operations[^1];

    public TestHistory Write(int process, string? value, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "x") =>
        Add(process, OperationKind.Write, key, value, null, invoke, complete, outcome);

    public TestHistory Read(int process, string? value, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "x") =>
        Add(process, OperationKind.Read, key, value, null, invoke, complete, outcome);

    public TestHistory Cas(int process, string? expected, string? value, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "x") =>
        Add(process, OperationKind.CompareAndSet, key, value, expected, invoke, complete, outcome);

    /// <summary>An indeterminate write: it never completed, so it may take effect at any time after invoke.</summary>
    public TestHistory InfoWrite(int process, string? value, long invoke, string key = "x") =>
        Add(process, OperationKind.Write, key, value, null, invoke, long.MaxValue, OperationOutcome.Info);

    public TestHistory Increment(int process, long delta, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "c") =>
        Add(process, OperationKind.Increment, key, delta.ToString(System.Globalization.CultureInfo.InvariantCulture), null, invoke, Complete(complete, outcome), outcome);

    public TestHistory ReadCounter(int process, long value, long invoke, long complete, string key = "c") =>
        Add(process, OperationKind.Read, key, value.ToString(System.Globalization.CultureInfo.InvariantCulture), null, invoke, complete, OperationOutcome.Ok);

    public TestHistory AddElement(int process, string element, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "s") =>
        Add(process, OperationKind.Add, key, element, null, invoke, Complete(complete, outcome), outcome);

    public TestHistory Append(int process, string element, long invoke, long complete, OperationOutcome outcome = OperationOutcome.Ok, string key = "l") =>
        Add(process, OperationKind.Append, key, element, null, invoke, Complete(complete, outcome), outcome);

    public TestHistory ReadElements(int process, IEnumerable<string> elements, long invoke, long complete, string key) =>
        Add(process, OperationKind.Read, key, HistoryValues.EncodeElements(elements), null, invoke, complete, OperationOutcome.Ok);

    private static long Complete(long complete, OperationOutcome outcome) =>
        outcome == OperationOutcome.Info ? long.MaxValue : complete;

    private TestHistory Add(
        int process, OperationKind kind, string key, string? value, string? expected, long invoke, long complete, OperationOutcome outcome)
    {
        _operations.Add(new HistoryOperation(_operations.Count + 1, process, kind, key, value, expected, invoke, complete, outcome));
        return this;
    }
}
