namespace Lattice.Bench.Workloads;

/// <summary>
/// Record numbers for inserts, shared by every client of a run: <see cref="Reserve"/> hands out the next number,
/// <see cref="Complete"/> counts it as present. Reads choose among <see cref="RecordCount"/> records, so a read
/// rarely names a record whose insert has not finished (it would count as not found, as in YCSB).
/// </summary>
public sealed class InsertSequence
{
    private long _next;
    private long _completed;

    public InsertSequence(long existingRecords)
    {
        _next = existingRecords;
        _completed = existingRecords;
    }

    public long RecordCount => Volatile.Read(ref _completed);

    public long Reserve() => Interlocked.Increment(ref _next) - 1;

    public void Complete() => Interlocked.Increment(ref _completed);
}
