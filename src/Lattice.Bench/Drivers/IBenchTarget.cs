namespace Lattice.Bench.Drivers;

/// <summary>A system under test: hands each benchmark client its own connection.</summary>
public interface IBenchTarget
{
    /// <summary>Short name used in reports: lattice, redis, etcd, noop.</summary>
    string Name { get; }

    /// <summary>Operations one client may send before reading replies (RESP pipelining); 1 elsewhere.</summary>
    int PipelineDepth { get; }

    ValueTask<IBenchConnection> ConnectAsync(int clientIndex, CancellationToken cancellationToken);
}
