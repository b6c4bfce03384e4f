namespace Lattice.Testing.Chaos;

/// <summary>
/// One concurrent client of a workload: its connection, its random source and its process number. After an
/// indeterminate operation the worker takes a new process number, as in Jepsen, because the old operation may
/// still take effect while the next one runs.
/// </summary>
internal sealed class ChaosWorker(int process, int processStride, ChaosClient client, Random random) : IAsyncDisposable
{
    public int Process { get; private set; } = process;

    public ChaosClient Client { get; } = client;

    public Random Random { get; } = random;

    /// <summary>Set when an operation failed, so the worker pauses before the next instead of spinning on errors.</summary>
    public bool ShouldBackOff { get; set; }

    public void Crash() => Process += processStride;

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
