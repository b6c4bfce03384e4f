using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>
/// Prefix sums over one key's increments so each read's bounds cost two binary searches.
/// Sums are Int128 so no run of long deltas can overflow.
/// </summary>
internal sealed class CounterBounds
{
    private readonly long[] _okCompleteTimes;
    private readonly Int128[] _okTotal;
    private readonly Int128[] _okPositive;
    private readonly Int128[] _okNegative;
    private readonly long[] _attemptedInvokeTimes;
    private readonly Int128[] _attemptedPositive;
    private readonly Int128[] _attemptedNegative;

    /// <param name="increments">Ok and Info increments; Fail ones are already left out.</param>
    public CounterBounds(List<HistoryOperation> increments)
    {
        var acknowledged = increments.Where(operation => operation.Outcome == OperationOutcome.Ok).OrderBy(operation => operation.CompleteTime).ToList();
        _okCompleteTimes = acknowledged.Select(operation => operation.CompleteTime).ToArray();
        long[] okDeltas = acknowledged.Select(CounterChecker.ParseNumber).ToArray();
        _okTotal = PrefixSums(okDeltas, _ => true);
        _okPositive = PrefixSums(okDeltas, delta => delta > 0);
        _okNegative = PrefixSums(okDeltas, delta => delta < 0);

        var attempted = increments.OrderBy(operation => operation.InvokeTime).ToList();
        _attemptedInvokeTimes = attempted.Select(operation => operation.InvokeTime).ToArray();
        long[] attemptedDeltas = attempted.Select(CounterChecker.ParseNumber).ToArray();
        _attemptedPositive = PrefixSums(attemptedDeltas, delta => delta > 0);
        _attemptedNegative = PrefixSums(attemptedDeltas, delta => delta < 0);
    }

    /// <summary>The least and greatest value a read over [invokeTime, completeTime] may return.</summary>
    public (Int128 Least, Int128 Greatest) For(long invokeTime, long completeTime)
    {
        // Surely applied: acknowledged strictly before the read began.
        int sure = SortedTimes.CountBelow(_okCompleteTimes, invokeTime);
        // Maybe applied: invoked no later than the read ended; this includes every sure one.
        int maybe = SortedTimes.CountAtMost(_attemptedInvokeTimes, completeTime);
        Int128 least = _okTotal[sure] + (_attemptedNegative[maybe] - _okNegative[sure]);
        Int128 greatest = _okTotal[sure] + (_attemptedPositive[maybe] - _okPositive[sure]);
        Invariant.Check(least <= greatest, "counter bounds must not cross");
        return (least, greatest);
    }

    private static Int128[] PrefixSums(long[] deltas, Func<long, bool> include)
    {
        var sums = new Int128[deltas.Length + 1];
        for (int i = 0; i < deltas.Length; i++)
        {
            sums[i + 1] = sums[i] + (include(deltas[i]) ? deltas[i] : 0);
        }

        return sums;
    }
}
