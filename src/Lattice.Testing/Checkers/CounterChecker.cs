using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>
/// Checks a counter per key (starting at 0, absent reads as 0). A read must lie between bounds
/// the increments allow: those acknowledged before the read began surely count; those attempted
/// (Ok or Info) and invoked before it ended may count; no others can. With negative deltas the
/// least value takes every possible negative delta and the greatest every possible positive one.
/// The final value is just the last read, checked the same way.
/// </summary>
public static class CounterChecker
{
    public const string Name = "counter";

    /// <summary>History of <see cref="OperationKind.Increment"/> (Value = delta) and reads (Value = the count, decimal).</summary>
    public static CheckerResult Check(IReadOnlyList<HistoryOperation> history, CheckerOptions? options = null)
    {
        options ??= CheckerOptions.Default;
        options.Validate();
        var anomalies = new AnomalyCollector(Name, options);
        List<(string Key, List<HistoryOperation> Operations)> keys = CheckerHistory.PartitionByKey(history, OperationKind.Increment, Name);
        int readsChecked = 0;
        foreach ((string key, List<HistoryOperation> operations) in keys)
        {
            readsChecked += CheckKey(key, operations, anomalies);
        }

        string summary = string.Create(CultureInfo.InvariantCulture, $"{keys.Count} keys, {readsChecked} reads checked; {anomalies.Count} anomalies");
        return anomalies.ToResult(summary);
    }

    private static int CheckKey(string key, List<HistoryOperation> operations, AnomalyCollector anomalies)
    {
        var increments = operations.Where(operation => operation.Kind == OperationKind.Increment && operation.Outcome != OperationOutcome.Fail).ToList();
        var bounds = new CounterBounds(increments);
        int readsChecked = 0;
        foreach (HistoryOperation read in operations.Where(CheckerHistory.IsOkRead))
        {
            readsChecked++;
            long value = read.Value is null ? 0 : ParseNumber(read);
            (Int128 least, Int128 greatest) = bounds.For(read.InvokeTime, read.CompleteTime);
            if (value < least)
            {
                anomalies.Add(CheckerAnomalyKind.ReadBelowBound, key, string.Create(
                    CultureInfo.InvariantCulture, $"{HistoryOperationText.Describe(read)} is below the least possible value {least} (greatest {greatest})"));
            }
            else if (value > greatest)
            {
                anomalies.Add(CheckerAnomalyKind.ReadAboveBound, key, string.Create(
                    CultureInfo.InvariantCulture, $"{HistoryOperationText.Describe(read)} is above the greatest possible value {greatest} (least {least})"));
            }
        }

        if (readsChecked == 0 && increments.Count > 0)
        {
            anomalies.Add(CheckerAnomalyKind.NoFinalRead, key, "increments were attempted but no read succeeded");
        }

        return readsChecked;
    }

    internal static long ParseNumber(HistoryOperation operation)
    {
        if (operation.Value is null || !long.TryParse(operation.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            throw new ArgumentException($"expected a decimal integer: {HistoryOperationText.Describe(operation)}", nameof(operation));
        }

        return number;
    }
}
