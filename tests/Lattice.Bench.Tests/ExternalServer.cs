using Lattice.Bench.Compare;
using Lattice.Bench.Drivers;

namespace Lattice.Bench.Tests;

/// <summary>
/// A real redis-server or etcd started on free loopback ports in its own temp folder for one test class, killed
/// by pid and its folder deleted on dispose. CI installs the packages (redis-server, etcd-server).
/// </summary>
public sealed class ExternalServer : IDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private ExternalServer(ChildProcess process, string directory, BenchEndpoint endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public BenchEndpoint Endpoint { get; }

    public string Log => _process.LogTail(40);

    public static ExternalServer StartRedis()
    {
        string directory = NewDirectory("redis");
        int port = FreePort.Pick(1)[0];
        var process = ChildProcess.Start("redis-server", "redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no", "--daemonize", "no"],
            Path.Combine(directory, "server.log"), pidFile: null);
        return new ExternalServer(process, directory, new BenchEndpoint("127.0.0.1", port));
    }

    public static ExternalServer StartEtcd()
    {
        string directory = NewDirectory("etcd");
        int[] ports = FreePort.Pick(2);
        string client = $"http://127.0.0.1:{ports[0]}";
        string peer = $"http://127.0.0.1:{ports[1]}";
        var process = ChildProcess.Start("etcd", "etcd",
            ["--name", "t1", "--data-dir", Path.Combine(directory, "data"), "--listen-client-urls", client, "--advertise-client-urls", client,
             "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"t1={peer}"],
            Path.Combine(directory, "server.log"), pidFile: null);
        return new ExternalServer(process, directory, new BenchEndpoint("127.0.0.1", ports[0]));
    }

    /// <summary>Retries <paramref name="probe"/> until it succeeds or 30 s pass (the server is still starting).</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> probe)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (await probe())
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or EtcdGrpcException)
            {
                // Not up yet.
            }

            Assert.False(_process.HasExited, $"server exited:\n{Log}");
            Assert.True(DateTime.UtcNow < deadline, $"server not ready in 30 s:\n{Log}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans temp eventually.
        }
    }

    private static string NewDirectory(string name) => Directory.CreateTempSubdirectory($"lattice-bench-test-{name}-").FullName;
}
