namespace Lattice.Bench.Drivers;

/// <summary>Builds a target from its name, and knows each one's default endpoints.</summary>
public static class BenchTargets
{
    public static IReadOnlyList<string> Names { get; } = ["lattice", "redis", "etcd", "noop"];

    public static string DefaultEndpoints(string name) => name switch
    {
        "lattice" => "127.0.0.1:7379,127.0.0.1:7380,127.0.0.1:7381",
        "redis" => "127.0.0.1:6379",
        "etcd" => "127.0.0.1:2379",
        _ => "127.0.0.1:1",
    };

    /// <summary>The target, or null for an unknown name.</summary>
    public static IBenchTarget? Create(string name, IReadOnlyList<BenchEndpoint> endpoints, int pipelineDepth, int valueSizeBytes, ulong seed, TimeProvider time) =>
        name switch
        {
            "lattice" or "redis" => new RespTarget(name, endpoints, pipelineDepth, valueSizeBytes, seed, time),
            "etcd" => new EtcdTarget(endpoints, valueSizeBytes, seed, time),
            "noop" => new NoopTarget(time),
            _ => null,
        };
}
