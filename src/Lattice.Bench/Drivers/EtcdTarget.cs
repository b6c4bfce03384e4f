using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>An etcd v3 cluster through its gRPC KV API; client i talks to member i mod n over its own HTTP/2 connection.</summary>
public sealed class EtcdTarget : IBenchTarget
{
    private readonly IReadOnlyList<BenchEndpoint> _endpoints;
    private readonly TimeProvider _time;
    private readonly int _valueSizeBytes;
    private readonly ulong _seed;

    public EtcdTarget(IReadOnlyList<BenchEndpoint> endpoints, int valueSizeBytes, ulong seed, TimeProvider time)
    {
        Invariant.Check(endpoints.Count > 0, "an etcd target needs an endpoint");
        _endpoints = endpoints;
        _valueSizeBytes = valueSizeBytes;
        _seed = seed;
        _time = time;
    }

    public string Name => "etcd";

    public int PipelineDepth => 1;

    public ValueTask<IBenchConnection> ConnectAsync(int clientIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBenchConnection>(new EtcdConnection(
            new EtcdKvClient(_endpoints[clientIndex % _endpoints.Count]),
            _time,
            RecordValue.Create(_valueSizeBytes, _seed + (ulong)clientIndex)));
}
