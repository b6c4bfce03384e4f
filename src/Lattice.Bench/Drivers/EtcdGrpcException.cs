namespace Lattice.Bench.Drivers;

/// <summary>An etcd call that ended with a non-zero grpc-status (the store refused it; the transport was fine).</summary>
public sealed class EtcdGrpcException(int status, string message) : Exception($"grpc-status {status}: {message}")
{
    public int Status { get; } = status;
}
