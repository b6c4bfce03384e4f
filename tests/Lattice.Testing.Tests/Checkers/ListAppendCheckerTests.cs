using Lattice.Testing.Checkers;
using Lattice.Testing.History;
using Lattice.Testing.Tests.History;

namespace Lattice.Testing.Tests.Checkers;

public sealed class ListAppendCheckerTests
{
    [Fact]
    public void Valid_history_with_growing_prefix_reads_is_accepted()
    {
        var history = new TestHistory()
            .Append(1, "1", 0, 10)
            .Append(2, "2", 5, 0, OperationOutcome.Info)
            .Append(3, "3", 6, 30)
            .Append(4, "4", 7, 8, OperationOutcome.Fail)
            .Append(5, "5", 8, 0, OperationOutcome.Info)
            .ReadElements(9, ["1"], 11, 12, "l")
            .ReadElements(9, ["1", "3"], 20, 25, "l")
            .ReadElements(8, ["1", "3", "2"], 40, 50, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.True(result.IsValid, result.Describe());
    }

    [Fact]
    public void Concurrent_appends_may_land_in_either_order()
    {
        var history = new TestHistory()
            .Append(1, "a", 0, 100)
            .Append(2, "b", 0, 100)
            .ReadElements(9, ["b", "a"], 110, 120, "l");
        Assert.True(ListAppendChecker.Check(history.Operations).IsValid);
    }

    [Fact]
    public void Reads_disagreeing_on_order_are_reported()
    {
        var history = new TestHistory()
            .Append(1, "a", 0, 100)
            .Append(2, "b", 0, 100)
            .ReadElements(9, ["a", "b"], 110, 120, "l")
            .ReadElements(8, ["b", "a"], 110, 120, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.IncompatibleOrder));
        Assert.Contains("disagree at position 0", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_missing_an_append_acknowledged_before_it_began_is_lost()
    {
        var history = new TestHistory()
            .Append(1, "a", 0, 10)
            .Append(1, "b", 20, 30)
            .ReadElements(9, ["a"], 40, 50, "l")
            .ReadElements(9, ["a", "b"], 60, 70, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.LostElement));
        Assert.Equal(1, result.AnomalyCount);
    }

    [Fact]
    public void Duplicated_and_phantom_elements_are_reported()
    {
        var history = new TestHistory()
            .Append(1, "a", 0, 10)
            .Append(2, "f", 0, 10, OperationOutcome.Fail)
            .ReadElements(9, ["a", "a"], 20, 30, "l")
            .ReadElements(9, ["a", "ghost"], 20, 30, "l")
            .ReadElements(9, ["a", "f"], 20, 30, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.DuplicateElement));
        Assert.Equal(2, result.CountOf(CheckerAnomalyKind.UnexpectedElement));
    }

    [Fact]
    public void Element_read_before_its_append_began_is_unexpected()
    {
        var history = new TestHistory()
            .ReadElements(9, ["a"], 0, 10, "l")
            .Append(1, "a", 20, 30);
        Assert.Equal(1, ListAppendChecker.Check(history.Operations).CountOf(CheckerAnomalyKind.UnexpectedElement));
    }

    [Fact]
    public void Order_against_real_time_is_reported()
    {
        // "a" was acknowledged before "b" began, yet the list puts "b" first.
        var history = new TestHistory()
            .Append(1, "a", 0, 10)
            .Append(2, "b", 20, 30)
            .ReadElements(9, ["b", "a"], 40, 50, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.RealTimeOrderViolation));
    }

    [Fact]
    public void Later_append_visible_without_an_earlier_acknowledged_one_is_reported()
    {
        // The read began before "a" was acknowledged, so missing "a" alone is not a loss, but it shows "b", which began after "a" was.
        var history = new TestHistory()
            .Append(1, "a", 0, 10)
            .Append(2, "b", 20, 30)
            .ReadElements(9, ["b"], 5, 50, "l");

        CheckerResult result = ListAppendChecker.Check(history.Operations);

        Assert.Equal(0, result.CountOf(CheckerAnomalyKind.LostElement));
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.RealTimeOrderViolation));
    }

    [Fact]
    public void Appending_the_same_element_twice_is_refused()
    {
        var history = new TestHistory().Append(1, "a", 0, 10).Append(2, "a", 20, 30);
        Assert.Throws<ArgumentException>(() => ListAppendChecker.Check(history.Operations));
    }

    [Fact]
    public void Without_a_successful_read_the_verdict_is_unknown()
    {
        var history = new TestHistory().Append(1, "a", 0, 10);
        Assert.True(ListAppendChecker.Check(history.Operations).IsUnknown);
    }
}
