using System.Globalization;
using System.Text;
using Lattice.Bench.Drivers;

namespace Lattice.Bench.Compare;

/// <summary>
/// Starts each compared system on loopback with fresh data directories under a work folder and waits until it
/// accepts writes: one durable redis-server (AOF, fsync on every write, no RDB), a 3-member etcd cluster (etcd's
/// default fsync), and a 3-node Lattice cluster (its log is fsynced before every reply).
/// </summary>
public sealed class SystemLauncher(string workDirectory, string? pidFile, IReadOnlyList<string> latticeCommand, TimeProvider time)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public async Task<StartedSystem> StartAsync(string name, CancellationToken cancellationToken) => name switch
    {
        "redis" => await StartRedisAsync(cancellationToken).ConfigureAwait(false),
        "etcd" => await StartEtcdAsync(cancellationToken).ConfigureAwait(false),
        "lattice" => await StartLatticeAsync(cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown system"),
    };

    private async Task<StartedSystem> StartRedisAsync(CancellationToken cancellationToken)
    {
        int port = FreePort.Pick(1)[0];
        string directory = Folder("redis");
        string[] arguments =
        [
            "--port", Text(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no",
        ];
        var process = ChildProcess.Start("redis-server", "redis-server", arguments, Path.Combine(directory, "redis.log"), pidFile);
        var system = new StartedSystem("redis", [new BenchEndpoint("127.0.0.1", port)], [process], "redis-server " + Quote(arguments));
        return await WaitReadyAsync(system, RespWriteSucceedsAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StartedSystem> StartEtcdAsync(CancellationToken cancellationToken)
    {
        int[] ports = FreePort.Pick(6);
        string cluster = string.Join(',', Enumerable.Range(0, 3).Select(i => $"m{i + 1}=http://127.0.0.1:{Text(ports[3 + i])}"));
        var processes = new List<ChildProcess>();
        var endpoints = new List<BenchEndpoint>();
        var description = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            string directory = Folder($"etcd/m{i + 1}");
            string client = $"http://127.0.0.1:{Text(ports[i])}";
            string peer = $"http://127.0.0.1:{Text(ports[3 + i])}";
            string[] arguments =
            [
                "--name", $"m{i + 1}", "--data-dir", Path.Combine(directory, "data"),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", cluster, "--initial-cluster-token", "lattice-bench", "--initial-cluster-state", "new",
                // Revision history would grow with every update; compaction keeps the backend small over a long run.
                "--auto-compaction-mode", "revision", "--auto-compaction-retention", "10000",
            ];
            processes.Add(ChildProcess.Start($"etcd m{i + 1}", "etcd", arguments, Path.Combine(directory, "etcd.log"), pidFile));
            endpoints.Add(new BenchEndpoint("127.0.0.1", ports[i]));
            description.Append("etcd ").Append(Quote(arguments)).Append('\n');
        }

        var system = new StartedSystem("etcd", endpoints, processes, description.ToString().TrimEnd());
        return await WaitReadyAsync(system, EtcdWriteSucceedsAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StartedSystem> StartLatticeAsync(CancellationToken cancellationToken)
    {
        int[] ports = FreePort.Pick(6);
        string cluster = string.Join(',', Enumerable.Range(0, 3).Select(i => $"{i + 1}=127.0.0.1:{Text(ports[i])}@{Text(ports[3 + i])}"));
        var processes = new List<ChildProcess>();
        var endpoints = new List<BenchEndpoint>();
        var description = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            string directory = Folder($"lattice/node{i + 1}");
            var arguments = new List<string>(latticeCommand.Skip(1))
            {
                "server", "--node-id", Text(i + 1), "--initial-cluster", cluster, "--data-dir", Path.Combine(directory, "data"),
            };
            processes.Add(ChildProcess.Start($"lattice node {i + 1}", latticeCommand[0], arguments, Path.Combine(directory, "lattice.log"), pidFile));
            endpoints.Add(new BenchEndpoint("127.0.0.1", ports[i]));
            description.Append("lattice server --node-id ").Append(Text(i + 1)).Append(" --initial-cluster ").Append(cluster)
                .Append(" --data-dir DIR/node").Append(Text(i + 1)).Append('\n');
        }

        var system = new StartedSystem("lattice", endpoints, processes, description.ToString().TrimEnd());
        return await WaitReadyAsync(system, RespWriteSucceedsAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls until every endpoint takes a write (a leader exists), or fails with the logs of dead processes.</summary>
    private async Task<StartedSystem> WaitReadyAsync(
        StartedSystem system, Func<BenchEndpoint, CancellationToken, Task<bool>> ready, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        try
        {
            foreach (BenchEndpoint endpoint in system.Endpoints)
            {
                while (!await ready(endpoint, cancellationToken).ConfigureAwait(false))
                {
                    ChildProcess? dead = system.Processes.FirstOrDefault(p => p.HasExited);
                    if (dead is not null)
                    {
                        throw new InvalidOperationException($"{dead.Name} exited while starting:\n{dead.LogTail()}");
                    }

                    if (time.GetElapsedTime(started) > ReadyTimeout)
                    {
                        throw new TimeoutException($"{system.Name} did not accept writes within {ReadyTimeout.TotalSeconds:F0} s:\n{system.Processes[0].LogTail()}");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
                }
            }

            return system;
        }
        catch
        {
            system.Dispose();
            throw;
        }
    }

    private async Task<bool> RespWriteSucceedsAsync(BenchEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            RespConnection connection = await RespConnection.ConnectAsync(endpoint, time, [], cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                byte[] reply = await connection.CommandAsync(["SET", "bench:ready", "1"], cancellationToken).ConfigureAwait(false);
                return reply.Length > 0 && reply[0] == (byte)'+';
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> EtcdWriteSucceedsAsync(BenchEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var client = new EtcdKvClient(endpoint);
        try
        {
            await client.PutAsync("bench:ready"u8.ToArray(), "1"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or EtcdGrpcException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private string Folder(string relative)
    {
        string path = Path.Combine(workDirectory, relative);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length == 0 ? "''" : a));
}
