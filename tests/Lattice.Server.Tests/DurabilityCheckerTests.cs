namespace Lattice.Server.Tests;

/// <summary>The crash checker must catch what it exists to catch: fabricated broken observations are reported.</summary>
public sealed class DurabilityCheckerTests
{
    [Fact]
    public void A_consistent_observation_passes_including_unacknowledged_writes_that_did_or_did_not_land()
    {
        WriteHistory history = SampleHistory();
        StoreObservation observed = Faithful();
        observed.Strings["reg:a"] = "a3"; // the unacknowledged last write landed
        observed.Strings["ctr"] = "3";
        observed.Lists["list"] = ["x1", "x2"]; // the unacknowledged append did not

        Assert.Empty(DurabilityChecker.Check(history, observed));
    }

    [Fact]
    public void A_lost_acknowledged_write_is_reported_for_each_kind_of_key()
    {
        WriteHistory history = SampleHistory();
        StoreObservation observed = Faithful();
        observed.Strings["reg:a"] = "a1"; // a2 was acknowledged: stale value
        observed.Strings["reg:b"] = null; // b1 was acknowledged: missing
        observed.Strings["ctr"] = "1"; // two increments acknowledged
        observed.Lists["list"] = ["x1"]; // x2 acknowledged

        IReadOnlyList<DurabilityViolation> violations = DurabilityChecker.Check(history, observed);

        Assert.Equal(
            ["ctr", "list", "reg:a", "reg:b"],
            violations.Where(v => v.Kind == DurabilityViolationKind.LostAcknowledgedWrite).Select(v => v.Key).Order(StringComparer.Ordinal));
        Assert.Equal(4, violations.Count);
    }

    [Fact]
    public void A_never_written_value_is_reported_for_each_kind_of_key()
    {
        WriteHistory history = SampleHistory();
        StoreObservation observed = Faithful();
        observed.Strings["reg:a"] = "zzz";
        observed.Strings["ctr"] = "4"; // only three increments were ever attempted
        observed.Lists["list"] = ["x1", "x2", "bogus"];
        observed.AllKeys.Add("stray");

        IReadOnlyList<DurabilityViolation> violations = DurabilityChecker.Check(history, observed);

        Assert.Equal(
            ["ctr", "list", "reg:a", "stray"],
            violations.Where(v => v.Kind == DurabilityViolationKind.NeverWrittenValue).Select(v => v.Key).Order(StringComparer.Ordinal));
        Assert.Equal(4, violations.Count);
    }

    [Fact]
    public void Both_a_lost_acknowledged_write_and_a_never_written_value_in_one_observation_are_both_reported()
    {
        WriteHistory history = SampleHistory();
        StoreObservation observed = Faithful();
        observed.Strings["reg:b"] = null;
        observed.Strings["reg:a"] = "never";

        IReadOnlyList<DurabilityViolation> violations = DurabilityChecker.Check(history, observed);

        Assert.Contains(violations, v => v.Kind == DurabilityViolationKind.LostAcknowledgedWrite && v.Key == "reg:b");
        Assert.Contains(violations, v => v.Kind == DurabilityViolationKind.NeverWrittenValue && v.Key == "reg:a");
        Assert.Equal(2, violations.Count);
    }

    [Fact]
    public void A_reordered_list_is_reported()
    {
        WriteHistory history = SampleHistory();
        StoreObservation observed = Faithful();
        observed.Lists["list"] = ["x2", "x1"];

        DurabilityViolation violation = Assert.Single(DurabilityChecker.Check(history, observed));
        Assert.Equal(DurabilityViolationKind.OutOfOrder, violation.Kind);
    }

    [Fact]
    public void Nothing_acknowledged_allows_a_missing_key_or_any_attempted_value()
    {
        var history = new WriteHistory();
        history.Attempt("r", WriteKind.Register, "r1");
        history.Attempt("c", WriteKind.Counter, "1");
        history.Attempt("l", WriteKind.List, "l1");
        var observed = new StoreObservation();
        observed.Strings["r"] = null;
        observed.Strings["c"] = null;
        Assert.Empty(DurabilityChecker.Check(history, observed));

        observed.Strings["r"] = "r1";
        observed.Strings["c"] = "1";
        observed.Lists["l"] = ["l1"];
        Assert.Empty(DurabilityChecker.Check(history, observed));
    }

    /// <summary>reg:a = a1 (acked), a2 (acked), a3 (sent, no reply); reg:b = b1 (acked); counter: 2 acked of 3;
    /// list: x1, x2 acked, x3 sent without reply.</summary>
    private static WriteHistory SampleHistory()
    {
        var history = new WriteHistory();
        history.Attempt("reg:a", WriteKind.Register, "a1").Acknowledge();
        history.Attempt("reg:a", WriteKind.Register, "a2").Acknowledge();
        history.Attempt("reg:a", WriteKind.Register, "a3");
        history.Attempt("reg:b", WriteKind.Register, "b1").Acknowledge();
        history.Attempt("ctr", WriteKind.Counter, "1").Acknowledge();
        history.Attempt("ctr", WriteKind.Counter, "2").Acknowledge();
        history.Attempt("ctr", WriteKind.Counter, "3");
        history.Attempt("list", WriteKind.List, "x1").Acknowledge();
        history.Attempt("list", WriteKind.List, "x2").Acknowledge();
        history.Attempt("list", WriteKind.List, "x3");
        return history;
    }

    /// <summary>Exactly the acknowledged state of <see cref="SampleHistory"/>.</summary>
    private static StoreObservation Faithful()
    {
        var observed = new StoreObservation();
        observed.Strings["reg:a"] = "a2";
        observed.Strings["reg:b"] = "b1";
        observed.Strings["ctr"] = "2";
        observed.Lists["list"] = ["x1", "x2"];
        observed.AllKeys.UnionWith(["reg:a", "reg:b", "ctr", "list"]);
        return observed;
    }
}
