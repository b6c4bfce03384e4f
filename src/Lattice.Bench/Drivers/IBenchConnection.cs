namespace Lattice.Bench.Drivers;

/// <summary>One client's connection. Used by one client at a time, so it may keep reusable buffers.</summary>
public interface IBenchConnection : IAsyncDisposable
{
    /// <summary>
    /// Executes every operation in <paramref name="batch"/>, setting each one's outcome and completion timestamp.
    /// Throws on a transport failure (the client reconnects); a store's error reply is an outcome, not an exception.
    /// </summary>
    ValueTask ExecuteAsync(OperationBatch batch, CancellationToken cancellationToken);
}
