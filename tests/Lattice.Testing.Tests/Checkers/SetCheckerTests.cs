using Lattice.Testing.Checkers;
using Lattice.Testing.History;
using Lattice.Testing.Tests.History;

namespace Lattice.Testing.Tests.Checkers;

public sealed class SetCheckerTests
{
    [Fact]
    public void Valid_history_with_info_adds_present_and_absent_is_accepted()
    {
        var history = new TestHistory()
            .AddElement(1, "a", 0, 10)
            .AddElement(2, "b", 5, 15)
            .AddElement(3, "c", 20, 0, OperationOutcome.Info)
            .AddElement(3, "d", 25, 0, OperationOutcome.Info)
            .AddElement(4, "e", 30, 40, OperationOutcome.Fail)
            .AddElement(1, "late", 95, 120)
            .ReadElements(5, ["b", "a", "c"], 100, 110, "s");

        CheckerResult result = SetChecker.Check(history.Operations);

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(0, result.AnomalyCount);
    }

    [Fact]
    public void Acknowledged_add_missing_from_the_final_read_is_lost()
    {
        var history = new TestHistory()
            .AddElement(1, "a", 0, 10)
            .AddElement(2, "b", 5, 15)
            .ReadElements(5, ["a"], 100, 110, "s");

        CheckerResult result = SetChecker.Check(history.Operations);

        Assert.False(result.IsValid);
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.LostElement));
        Assert.Contains("\"b\"", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Element_never_added_or_added_only_by_a_failed_add_is_unexpected()
    {
        var history = new TestHistory()
            .AddElement(1, "a", 0, 10)
            .AddElement(2, "failed", 5, 15, OperationOutcome.Fail)
            .ReadElements(5, ["a", "phantom", "failed"], 100, 110, "s");

        CheckerResult result = SetChecker.Check(history.Operations);

        Assert.Equal(2, result.CountOf(CheckerAnomalyKind.UnexpectedElement));
        Assert.Contains("never added", result.Describe(), StringComparison.Ordinal);
        Assert.Contains("only by operations that failed", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Element_added_only_after_the_final_read_ended_is_unexpected()
    {
        var history = new TestHistory()
            .ReadElements(5, ["a"], 0, 10, "s")
            .AddElement(1, "a", 20, 30);

        Assert.Equal(1, SetChecker.Check(history.Operations).CountOf(CheckerAnomalyKind.UnexpectedElement));
    }

    [Fact]
    public void Duplicate_element_in_a_read_is_reported()
    {
        var history = new TestHistory().AddElement(1, "a", 0, 10).ReadElements(5, ["a", "a"], 100, 110, "s");
        Assert.Equal(1, SetChecker.Check(history.Operations).CountOf(CheckerAnomalyKind.DuplicateElement));
    }

    [Fact]
    public void Only_the_last_read_is_the_final_read()
    {
        var history = new TestHistory()
            .ReadElements(5, [], 0, 5, "s")
            .AddElement(1, "a", 10, 20)
            .ReadElements(5, ["a"], 100, 110, "s");

        Assert.True(SetChecker.Check(history.Operations).IsValid);
    }

    [Fact]
    public void Without_a_successful_read_the_verdict_is_unknown()
    {
        var history = new TestHistory().AddElement(1, "a", 0, 10);
        CheckerResult result = SetChecker.Check(history.Operations);
        Assert.False(result.IsValid);
        Assert.True(result.IsUnknown);
        Assert.Equal(1, result.CountOf(CheckerAnomalyKind.NoFinalRead));
    }

    [Fact]
    public void Anomaly_list_is_bounded_and_the_rest_are_counted()
    {
        var history = new TestHistory();
        for (int i = 0; i < 50; i++)
        {
            history.AddElement(1, "e" + i, i, i + 1);
        }

        history.ReadElements(2, [], 1_000, 1_010, "s");
        CheckerResult result = SetChecker.Check(history.Operations, new CheckerOptions { MaxAnomaliesListed = 5 });

        Assert.Equal(50, result.AnomalyCount);
        Assert.Equal(5, result.Anomalies.Count);
        Assert.Equal(45, result.AnomaliesNotListed);
        Assert.Contains("and 45 more", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_operation_kinds_are_refused()
    {
        var history = new TestHistory().Write(1, "a", 0, 10, key: "s");
        Assert.Throws<ArgumentException>(() => SetChecker.Check(history.Operations));
    }
}
