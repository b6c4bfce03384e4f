using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench;

/// <summary>
/// The operations one client sends together (one, or the pipelining depth), in parallel arrays allocated once per
/// client and refilled for every batch. A driver fills <see cref="Outcomes"/> and <see cref="CompletedTimestamps"/>.
/// </summary>
public sealed class OperationBatch
{
    public OperationBatch(int capacity)
    {
        Invariant.Check(capacity >= 1, "a batch holds at least one operation");
        Kinds = new OperationKind[capacity];
        Records = new long[capacity];
        ScanLengths = new int[capacity];
        Outcomes = new OperationOutcome[capacity];
        CompletedTimestamps = new long[capacity];
    }

    public int Capacity => Kinds.Length;

    public int Count { get; private set; }

    public OperationKind[] Kinds { get; }

    public long[] Records { get; }

    public int[] ScanLengths { get; }

    public OperationOutcome[] Outcomes { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when each operation's last reply arrived.</summary>
    public long[] CompletedTimestamps { get; }

    public void Clear() => Count = 0;

    public void Add(OperationKind kind, long record, int scanLength = 0)
    {
        Invariant.Check(Count < Capacity, "batch is full");
        Kinds[Count] = kind;
        Records[Count] = record;
        ScanLengths[Count] = scanLength;
        Outcomes[Count] = OperationOutcome.Ok;
        CompletedTimestamps[Count] = 0;
        Count++;
    }
}
