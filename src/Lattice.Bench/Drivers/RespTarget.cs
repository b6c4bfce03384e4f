using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>
/// A RESP store (Lattice or Redis). Client i connects to endpoint i mod n: a Lattice cluster accepts every
/// command on any node, so clients spread over all of them.
/// </summary>
public sealed class RespTarget : IBenchTarget
{
    private readonly IReadOnlyList<BenchEndpoint> _endpoints;
    private readonly TimeProvider _time;
    private readonly int _valueSizeBytes;
    private readonly ulong _seed;

    public RespTarget(string name, IReadOnlyList<BenchEndpoint> endpoints, int pipelineDepth, int valueSizeBytes, ulong seed, TimeProvider time)
    {
        Invariant.Check(endpoints.Count > 0, "a RESP target needs an endpoint");
        Invariant.Check(pipelineDepth >= 1, "pipeline depth is at least 1");
        Name = name;
        _endpoints = endpoints;
        PipelineDepth = pipelineDepth;
        _valueSizeBytes = valueSizeBytes;
        _seed = seed;
        _time = time;
    }

    public string Name { get; }

    public int PipelineDepth { get; }

    public async ValueTask<IBenchConnection> ConnectAsync(int clientIndex, CancellationToken cancellationToken) =>
        await RespConnection.ConnectAsync(
            _endpoints[clientIndex % _endpoints.Count],
            _time,
            RecordValue.Create(_valueSizeBytes, _seed + (ulong)clientIndex),
            cancellationToken).ConfigureAwait(false);
}
