using System.Globalization;
using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Tests.Linearizability;

/// <summary>
/// Makes histories that are linearizable by construction: operations run one at a time on real
/// registers at increasing linearization points, then each gets a random interval around its point.
/// Every written value is unique, so a read can be made provably impossible afterwards.
/// </summary>
internal static class RandomRegisterHistory
{
    public static List<HistoryOperation> Generate(ulong seed, int operationCount, int keyCount, int spreadTicks)
    {
        var random = new DeterministicRandom(seed);
        var registers = new Dictionary<string, string?>(StringComparer.Ordinal);
        var history = new List<HistoryOperation>(operationCount);
        for (int i = 0; i < operationCount; i++)
        {
            string key = "k" + random.NextInt(keyCount).ToString(CultureInfo.InvariantCulture);
            registers.TryGetValue(key, out string? current);
            long point = 1_000 + (i * 10L);
            long invoke = point - random.NextInt(spreadTicks + 1);
            long complete = point + random.NextInt(spreadTicks + 1);
            HistoryOperation operation = NextOperation(ref random, i, key, current, invoke, complete);
            // An indeterminate operation may also never have happened at all.
            bool happened = operation.Outcome != OperationOutcome.Info || random.NextInt(2) == 0;
            if (happened && Applies(operation, current))
            {
                registers[key] = operation.Value;
            }

            history.Add(operation);
        }

        return history;
    }

    private static HistoryOperation NextOperation(ref DeterministicRandom random, int index, string key, string? current, long invoke, long complete)
    {
        string fresh = "v" + index.ToString(CultureInfo.InvariantCulture);
        int process = index % 7;
        int roll = random.NextInt(100);
        return roll switch
        {
            < 40 => new HistoryOperation(index, process, OperationKind.Read, key, current, null, invoke, complete, OperationOutcome.Ok),
            < 45 => new HistoryOperation(index, process, OperationKind.Read, key, null, null, invoke, long.MaxValue, OperationOutcome.Info),
            < 70 => new HistoryOperation(index, process, OperationKind.Write, key, fresh, null, invoke, complete, OperationOutcome.Ok),
            < 75 => new HistoryOperation(index, process, OperationKind.Write, key, fresh, null, invoke, long.MaxValue, OperationOutcome.Info),
            < 78 => new HistoryOperation(index, process, OperationKind.Write, key, fresh, null, invoke, complete, OperationOutcome.Fail),
            // Half the CASes expect the current value and succeed; the rest expect a stale one and fail.
            < 97 => random.NextInt(2) == 0
                ? new HistoryOperation(index, process, OperationKind.CompareAndSet, key, fresh, current, invoke, complete, OperationOutcome.Ok)
                : new HistoryOperation(index, process, OperationKind.CompareAndSet, key, fresh, "stale", invoke, complete, OperationOutcome.Fail),
            _ => new HistoryOperation(index, process, OperationKind.CompareAndSet, key, fresh, current, invoke, long.MaxValue, OperationOutcome.Info),
        };
    }

        private static bool Applies(HistoryOperation operation, string? current) =>
        operation.Outcome != OperationOutcome.Fail
        && (operation.Kind == OperationKind.Write
            || (operation.Kind == OperationKind.CompareAndSet && string.Equals(operation.Expected, current, StringComparison.Ordinal)));
}
