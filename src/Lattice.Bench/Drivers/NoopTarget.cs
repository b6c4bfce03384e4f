namespace Lattice.Bench.Drivers;

/// <summary>
/// A target that does nothing: every operation completes at once. Running a workload against it measures what
/// the harness itself costs per operation (key choice, scheduling, timing, histogram), to compare with real stores.
/// </summary>
public sealed class NoopTarget(TimeProvider time) : IBenchTarget
{
    public string Name => "noop";

    public int PipelineDepth => 1;

    public ValueTask<IBenchConnection> ConnectAsync(int clientIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBenchConnection>(new NoopConnection(time));
}
