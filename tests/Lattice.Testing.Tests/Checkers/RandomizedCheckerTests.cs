using System.Globalization;
using Lattice.Common;
using Lattice.Testing.Checkers;
using Lattice.Testing.History;

namespace Lattice.Testing.Tests.Checkers;

/// <summary>
/// Histories from real sequential executions (each operation takes effect at a point inside its
/// interval) must pass every checker; the same histories with one read corrupted must not.
/// </summary>
public sealed class RandomizedCheckerTests
{
    private const int SeedCount = 100;

    [Fact]
    public void Counter_histories_from_sequential_executions_are_accepted_and_a_shifted_read_is_caught()
    {
        for (ulong seed = 1; seed <= SeedCount; seed++)
        {
            var random = new DeterministicRandom(seed);
            var history = new List<HistoryOperation>();
            long counter = 0;
            long magnitudeTotal = 0;
            for (int i = 0; i < 100; i++)
            {
                (long invoke, long complete) = Interval(ref random, i);
                if (random.NextInt(2) == 0)
                {
                    history.Add(Operation(i, OperationKind.Read, "c", counter.ToString(CultureInfo.InvariantCulture), invoke, complete, OperationOutcome.Ok));
                    continue;
                }

                long delta = random.NextInt64(-5, 10);
                OperationOutcome outcome = random.NextInt(10) == 0 ? OperationOutcome.Info : OperationOutcome.Ok;
                bool happened = outcome == OperationOutcome.Ok || random.NextInt(2) == 0;
                counter += happened ? delta : 0;
                magnitudeTotal += Math.Abs(delta);
                history.Add(Operation(i, OperationKind.Increment, "c", delta.ToString(CultureInfo.InvariantCulture), invoke, complete, outcome));
            }

            Assert.True(CounterChecker.Check(history).IsValid, $"seed {seed}: {CounterChecker.Check(history).Describe()}");
            // No subset of the attempted deltas sums above the sum of their magnitudes.
            long impossible = magnitudeTotal + 1;
            history.Add(Operation(1_000, OperationKind.Read, "c", impossible.ToString(CultureInfo.InvariantCulture), 100_000, 100_001, OperationOutcome.Ok));
            Assert.Equal(1, CounterChecker.Check(history).CountOf(CheckerAnomalyKind.ReadAboveBound));
        }
    }

    [Fact]
    public void List_append_histories_from_sequential_executions_are_accepted_and_a_swapped_read_is_caught()
    {
        int swapped = 0;
        for (ulong seed = 1; seed <= SeedCount; seed++)
        {
            var random = new DeterministicRandom(seed);
            var history = new List<HistoryOperation>();
            var list = new List<string>();
            for (int i = 0; i < 100; i++)
            {
                (long invoke, long complete) = Interval(ref random, i);
                if (random.NextInt(2) == 0)
                {
                    history.Add(Operation(i, OperationKind.Read, "l", HistoryValues.EncodeElements(list), invoke, complete, OperationOutcome.Ok));
                    continue;
                }

                string element = "e" + i.ToString(CultureInfo.InvariantCulture);
                OperationOutcome outcome = random.NextInt(10) == 0 ? OperationOutcome.Info : OperationOutcome.Ok;
                if (outcome == OperationOutcome.Ok || random.NextInt(2) == 0)
                {
                    list.Add(element);
                }

                history.Add(Operation(i, OperationKind.Append, "l", element, invoke, complete, outcome));
            }

            Assert.True(ListAppendChecker.Check(history).IsValid, $"seed {seed}: {ListAppendChecker.Check(history).Describe()}");
            if (TrySwapRealTimeOrderedPair(history, list))
            {
                swapped++;
                history.Add(Operation(1_000, OperationKind.Read, "l", HistoryValues.EncodeElements(list), 100_000, 100_001, OperationOutcome.Ok));
                Assert.False(ListAppendChecker.Check(history).IsValid, $"seed {seed}: swapped read accepted");
            }
        }

        Assert.True(swapped > SeedCount / 2);
    }

    /// <summary>
    /// Swaps two listed elements whose appends are ordered in real time (the first acknowledged
    /// before the second began), so the swapped order is impossible, not merely unusual.
    /// </summary>
    private static bool TrySwapRealTimeOrderedPair(List<HistoryOperation> history, List<string> list)
    {
        var appendOf = history.Where(operation => operation.Kind == OperationKind.Append).ToDictionary(operation => operation.Value!);
        for (int i = 0; i < list.Count; i++)
        {
            HistoryOperation first = appendOf[list[i]];
            int j = list.FindIndex(i + 1, element => first.Outcome == OperationOutcome.Ok && first.CompleteTime < appendOf[element].InvokeTime);
            if (j > 0)
            {
                (list[i], list[j]) = (list[j], list[i]);
                return true;
            }
        }

        return false;
    }

    private static (long Invoke, long Complete) Interval(ref DeterministicRandom random, int index)
    {
        long point = 1_000 + (index * 10L);
        return (point - random.NextInt(31), point + random.NextInt(31));
    }

    private static HistoryOperation Operation(int index, OperationKind kind, string key, string? value, long invoke, long complete, OperationOutcome outcome) =>
        new(index, index % 5, kind, key, value, null, invoke, outcome == OperationOutcome.Info ? long.MaxValue : complete, outcome);
}
