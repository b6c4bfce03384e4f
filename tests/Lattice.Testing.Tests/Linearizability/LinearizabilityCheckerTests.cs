using Lattice.Testing.History;
using Lattice.Testing.Linearizability;
using Lattice.Testing.Tests.History;

namespace Lattice.Testing.Tests.Linearizability;

public sealed class LinearizabilityCheckerTests
{
    [Fact]
    public void Empty_history_is_linearizable()
    {
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters([]);
        Assert.True(result.IsLinearizable);
        Assert.False(result.IsUnknown);
        Assert.Null(result.FailingKey);
    }

    [Fact]
    public void Read_of_initial_state_sees_absent()
    {
        var history = new TestHistory().Read(1, null, 0, 10).Write(1, "a", 20, 30).Read(1, "a", 40, 50);
        AssertLinearizable(history);
    }

    [Fact]
    public void Stale_read_after_a_completed_write_is_rejected()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .Write(1, "b", 20, 30)
            .Read(2, "a", 40, 50);
        LinearizabilityResult result = AssertNotLinearizable(history, "x");
        Assert.Contains("#3 p2 x: read -> \"a\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_reads_observing_concurrent_writes_in_opposite_orders_are_rejected()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 100)
            .Write(2, "b", 0, 100)
            .Read(3, "a", 10, 20)
            .Read(3, "b", 30, 40)
            .Read(4, "b", 10, 20)
            .Read(4, "a", 30, 40);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Compare_and_set_succeeding_against_a_value_never_current_is_rejected()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .Cas(2, "b", "c", 20, 30)
            .Read(3, "c", 40, 50);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Compare_and_set_chain_is_accepted()
    {
        var history = new TestHistory()
            .Cas(1, null, "a", 0, 10)
            .Cas(2, "a", "b", 20, 30)
            .Cas(3, "a", "z", 25, 35, OperationOutcome.Fail)
            .Read(3, "b", 40, 50);
        AssertLinearizable(history);
    }

    [Fact]
    public void Read_of_a_value_never_written_is_rejected()
    {
        var history = new TestHistory().Write(1, "a", 0, 10).Read(2, "ghost", 5, 20);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Lost_acknowledged_write_is_rejected()
    {
        var history = new TestHistory().Write(1, "a", 0, 10).Read(2, null, 20, 30);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Concurrent_writes_may_linearize_in_either_order()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 100)
            .Write(2, "b", 0, 100)
            .Read(3, "b", 10, 20)
            .Read(3, "a", 30, 40)
            .Read(4, "a", 110, 120);
        AssertLinearizable(history);
    }

    [Fact]
    public void Read_concurrent_with_a_write_may_see_old_or_new_value()
    {
        var old = new TestHistory().Write(1, "a", 0, 10).Write(1, "b", 20, 40).Read(2, "a", 25, 35);
        var fresh = new TestHistory().Write(1, "a", 0, 10).Write(1, "b", 20, 40).Read(2, "b", 25, 35);
        AssertLinearizable(old);
        AssertLinearizable(fresh);
    }

    [Fact]
    public void Info_write_may_take_effect_long_after_its_invoke()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .InfoWrite(2, "b", 20)
            .Read(3, "a", 30, 40)
            .Read(3, "a", 500, 510)
            .Read(3, "b", 1_000, 1_010);
        AssertLinearizable(history);
    }

    [Fact]
    public void Info_write_may_never_take_effect()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .InfoWrite(2, "b", 20)
            .Read(3, "a", 30, 40)
            .Read(3, "a", 1_000, 1_010);
        AssertLinearizable(history);
    }

    [Fact]
    public void Info_write_cannot_take_effect_before_its_invoke()
    {
        var history = new TestHistory()
            .Read(3, "b", 0, 10)
            .InfoWrite(2, "b", 20);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Info_write_takes_effect_at_most_once()
    {
        var history = new TestHistory()
            .InfoWrite(2, "b", 0)
            .Read(3, "b", 10, 20)
            .Write(1, "a", 30, 40)
            .Read(3, "b", 50, 60);
        AssertNotLinearizable(history, "x");
    }

    [Fact]
    public void Fail_operations_are_ignored()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .Write(2, "b", 20, 30, OperationOutcome.Fail)
            .Read(3, "a", 40, 50);
        AssertLinearizable(history);
        var seesFailedWrite = new TestHistory()
            .Write(1, "a", 0, 10)
            .Write(2, "b", 20, 30, OperationOutcome.Fail)
            .Read(3, "b", 40, 50);
        AssertNotLinearizable(seesFailedWrite, "x");
    }

    [Fact]
    public void Info_reads_are_ignored()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .Read(2, null, 20, long.MaxValue, OperationOutcome.Info)
            .Read(3, "a", 40, 50);
        AssertLinearizable(history);
    }

    [Fact]
    public void Operations_touching_at_one_instant_count_as_concurrent()
    {
        var history = new TestHistory().Write(1, "a", 0, 10).Read(2, null, 10, 20);
        AssertLinearizable(history);
    }

    [Fact]
    public void Keys_are_checked_independently_and_the_failing_key_is_named()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10, key: "x")
            .Write(1, "b", 0, 10, key: "y")
            .Read(2, "a", 20, 30, key: "x")
            .Read(2, "b", 20, 30, key: "y")
            .Read(2, "a", 40, 50, key: "y");
        LinearizabilityResult result = AssertNotLinearizable(history, "y");
        Assert.Equal(2, result.KeysChecked);
    }

    [Fact]
    public void Explanation_shows_the_prefix_the_state_and_the_operation_that_could_not_be_placed()
    {
        var history = new TestHistory()
            .Write(1, "a", 0, 10)
            .Write(1, "b", 20, 30)
            .Read(2, "a", 40, 50);
        LinearizabilityResult result = AssertNotLinearizable(history, "x");
        Assert.Contains("orders 2 of 3 operations", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("State after that prefix: \"b\"", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("no order could place it", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("#3 p2 x: read -> \"a\" [40, 50] ok: rejected", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Exhausted_budget_reports_unknown_not_a_violation()
    {
        List<HistoryOperation> history = RandomRegisterHistory.Generate(seed: 7, operationCount: 200, keyCount: 1, spreadTicks: 60);
        var options = new LinearizabilityOptions { MaxStatesExploredPerKey = 10 };
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history, options);
        Assert.True(result.IsUnknown);
        Assert.False(result.IsLinearizable);
        Assert.Equal("k0", result.FailingKey);
        Assert.Contains("budget exhausted", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_operation_kind_is_refused()
    {
        var history = new TestHistory().Increment(1, 1, 0, 10);
        Assert.Throws<ArgumentException>(() => LinearizabilityChecker.CheckRegisters(history.Operations));
    }

    [Fact]
    public void Operation_completing_before_its_invoke_is_refused()
    {
        var history = new TestHistory().Write(1, "a", 10, 5);
        Assert.Throws<ArgumentException>(() => LinearizabilityChecker.CheckRegisters(history.Operations));
    }

    internal static void AssertLinearizable(TestHistory history)
    {
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history.Operations);
        Assert.True(result.IsLinearizable, result.Explanation);
        Assert.False(result.IsUnknown);
    }

    internal static LinearizabilityResult AssertNotLinearizable(TestHistory history, string failingKey)
    {
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history.Operations);
        Assert.False(result.IsLinearizable);
        Assert.False(result.IsUnknown, result.Explanation);
        Assert.Equal(failingKey, result.FailingKey);
        return result;
    }
}
