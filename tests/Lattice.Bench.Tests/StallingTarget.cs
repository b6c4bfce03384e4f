using Lattice.Bench.Drivers;

namespace Lattice.Bench.Tests;

/// <summary>A no-op store that stalls once: the given operation takes <c>stall</c> on the stepped clock.</summary>
internal sealed class StallingTarget(SteppedTimeProvider time, long stallAtOperation, TimeSpan stall) : IBenchTarget
{
    public string Name => "stalling";

    public int PipelineDepth => 1;

    public ValueTask<IBenchConnection> ConnectAsync(int clientIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBenchConnection>(new Connection(time, stallAtOperation, stall));

    private sealed class Connection(SteppedTimeProvider time, long stallAtOperation, TimeSpan stall) : IBenchConnection
    {
        private long _executed;

        public ValueTask ExecuteAsync(OperationBatch batch, CancellationToken cancellationToken)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                if (_executed++ == stallAtOperation)
                {
                    time.Advance(stall);
                }

                batch.Outcomes[i] = OperationOutcome.Ok;
                batch.CompletedTimestamps[i] = time.GetTimestamp();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
