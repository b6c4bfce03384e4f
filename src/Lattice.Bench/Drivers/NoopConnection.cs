namespace Lattice.Bench.Drivers;

/// <summary>Completes every operation synchronously, stamping the time as a real driver would.</summary>
public sealed class NoopConnection(TimeProvider time) : IBenchConnection
{
    public ValueTask ExecuteAsync(OperationBatch batch, CancellationToken cancellationToken)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            batch.Outcomes[i] = OperationOutcome.Ok;
            batch.CompletedTimestamps[i] = time.GetTimestamp();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
