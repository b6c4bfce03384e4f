using Lattice.Testing.Checkers;
using Lattice.Testing.History;
using Lattice.Testing.Tests.History;

namespace Lattice.Testing.Tests.Checkers;

public sealed class CounterCheckerTests
{
    [Fact]
    public void Valid_history_with_concurrent_info_and_failed_increments_is_accepted()
    {
        var history = new TestHistory()
            .ReadCounter(9, 0, 0, 1)
            .Increment(1, 5, 10, 20)
            .Increment(2, 3, 15, 0, OperationOutcome.Info)
            .Increment(3, 100, 16, 18, OperationOutcome.Fail)
            .ReadCounter(9, 5, 21, 22)
            .Increment(1, 2, 30, 40)
            .ReadCounter(9, 10, 35, 36)     // 5 + 3 (info) + 2 (concurrent) is allowed
            .ReadCounter(9, 7, 50, 60);     // the info increment never happened

        CheckerResult result = CounterChecker.Check(history.Operations);

        Assert.True(result.IsValid, result.Describe());
    }

    [Fact]
    public void Read_missing_an_acknowledged_increment_is_below_bound()
    {
        var history = new TestHistory().Increment(1, 5, 0, 10).ReadCounter(9, 0, 20, 30);
        CheckerResult result = CounterChecker.Check(history.Operations);
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.ReadBelowBound));
    }

    [Fact]
    public void Read_counting_an_increment_not_yet_invoked_or_failed_is_above_bound()
    {
        var history = new TestHistory()
            .Increment(1, 100, 0, 10, OperationOutcome.Fail)
            .ReadCounter(9, 100, 20, 30)
            .ReadCounter(9, 1, 40, 50)
            .Increment(1, 1, 60, 70);

        CheckerResult result = CounterChecker.Check(history.Operations);

        Assert.Equal(2, result.CountOf(CheckerAnomalyKind.ReadAboveBound));
    }

    [Fact]
    public void Negative_deltas_widen_the_bounds_both_ways()
    {
        var valid = new TestHistory()
            .Increment(1, 10, 0, 5)
            .Increment(2, -4, 10, 0, OperationOutcome.Info)
            .Increment(3, 3, 12, 30)
            .ReadCounter(9, 6, 15, 20)      // 10 - 4 (info) with +3 not yet applied
            .ReadCounter(9, 13, 15, 20);    // 10 + 3, the info decrement not applied
        Assert.True(CounterChecker.Check(valid.Operations).IsValid);

        var invalid = new TestHistory()
            .Increment(1, 10, 0, 5)
            .Increment(2, -4, 10, 20)
            .ReadCounter(9, 10, 30, 40)     // the acknowledged decrement is missing
            .ReadCounter(9, 2, 30, 40);     // below 10 - 4
        CheckerResult result = CounterChecker.Check(invalid.Operations);
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.ReadAboveBound));
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.ReadBelowBound));
    }

    [Fact]
    public void Absent_counter_reads_as_zero()
    {
        var history = new TestHistory()
            .Read(9, null, 0, 5, key: "c")
            .Increment(1, 1, 10, 20)
            .Read(9, null, 30, 40, key: "c");
        Assert.Equal(1, CounterChecker.Check(history.Operations).CountOf(CheckerAnomalyKind.ReadBelowBound));
    }

    [Fact]
    public void Malformed_numbers_are_refused()
    {
        var history = new TestHistory().Read(9, "seven", 0, 5, key: "c");
        Assert.Throws<ArgumentException>(() => CounterChecker.Check(history.Operations));
    }
}
