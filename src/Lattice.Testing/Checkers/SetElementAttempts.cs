using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>What the history says about one element of a set or list: when it could first have been added, and when it surely was.</summary>
internal sealed class SetElementAttempts
{
    /// <summary>True if some add of it did not fail (Ok or Info).</summary>
    public bool Attempted { get; private set; }

    /// <summary>Earliest invoke among the adds that did not fail; long.MaxValue if none.</summary>
    public long FirstInvokeTime { get; private set; } = long.MaxValue;

    /// <summary>Earliest completion among Ok adds; long.MaxValue if none was acknowledged.</summary>
    public long FirstOkCompleteTime { get; private set; } = long.MaxValue;

    public void Note(HistoryOperation add)
    {
        if (add.Outcome == OperationOutcome.Fail)
        {
            return;
        }

        Attempted = true;
        FirstInvokeTime = Math.Min(FirstInvokeTime, add.InvokeTime);
        if (add.Outcome == OperationOutcome.Ok)
        {
            FirstOkCompleteTime = Math.Min(FirstOkCompleteTime, add.CompleteTime);
        }
    }
}
