using System.Net.Sockets;

namespace Lattice.Testing.Chaos;

/// <summary>
/// A workload client's connection to one node of the cluster. It connects lazily; after any failure the connection
/// is dropped and the next call connects again, to a node chosen at random, so clients spread over the cluster and
/// find their way around dead nodes. A call says whether the command surely never reached a node.
/// </summary>
internal sealed class ChaosClient : IAsyncDisposable
{
    private readonly ChaosCluster _cluster;
    private readonly Random _random;
    private readonly TimeSpan _timeout;
    private ChaosRespClient? _connection;
    private int _slot;

    public ChaosClient(ChaosCluster cluster, int firstSlot, Random random, TimeSpan timeout)
    {
        _cluster = cluster;
        _slot = firstSlot;
        _random = random;
        _timeout = timeout;
    }

    public async Task<ChaosCallResult> CallAsync(string[] arguments, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_timeout);
        if (_connection is null)
        {
            try
            {
                _connection = await _cluster.ConnectAsync(_slot, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or InvalidOperationException)
            {
                _slot = _random.Next(_cluster.Nodes.Length);
                return ChaosCallResult.NotSent(exception.GetType().Name);
            }
        }

        try
        {
            return ChaosCallResult.Replied(await _connection.CallAsync(arguments, deadline.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or FormatException)
        {
            await DropAsync().ConfigureAwait(false);
            return ChaosCallResult.Lost(stop.IsCancellationRequested ? "run ended" : exception is OperationCanceledException ? "timeout" : exception.GetType().Name);
        }
    }

    /// <summary>Closes the connection (forgetting WATCH/MULTI state) and picks another node for the next call.</summary>
    public async Task DropAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        _slot = _random.Next(_cluster.Nodes.Length);
    }

    public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;
}
