using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests;

/// <summary>
/// A real <c>lattice server</c> child process on a free loopback port. <see cref="StartAsync"/> returns once it
/// answers PING; stdout and stderr are captured into <see cref="Output"/> for failure messages. <see cref="StopAsync"/>
/// sends SIGTERM, <see cref="Kill"/> SIGKILL; dispose kills whatever is left and deletes a data directory it made.
/// Every child is also killed when the test process exits, so nothing outlives the run.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static int _exitHookInstalled;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _ownedDirectory;
    private readonly string? _configFile;
    private bool _disposed;

    private ServerProcess(Process process, int port, string dataDirectory, string? ownedDirectory, string? configFile)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
        _configFile = configFile;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>The config file written for <see cref="ServerStartOptions.ConfigFileContents"/>, if any.</summary>
    public string? ConfigFile => _configFile;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far, stdout and stderr interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string LatticeDll => Path.Combine(AppContext.BaseDirectory, "lattice.dll");

    /// <summary>Starts a server and waits until it answers PING; fails the test with the server's output if it does not.</summary>
    public static async Task<ServerProcess> StartAsync(ServerStartOptions? options = null)
    {
        options ??= new ServerStartOptions();
        for (int attempt = 1; ; attempt++)
        {
            ServerProcess server = Launch(options);
            bool portInUse;
            try
            {
                portInUse = await server.WaitUntilReadyAsync(options.StartTimeout, retryIfPortInUse: attempt < 3 && options.Port is null);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            if (!portInUse)
            {
                return server;
            }

            // Another process took the port between picking and binding: try a new one.
            await server.DisposeAsync();
        }
    }

    /// <summary>Starts a server process without waiting for it (for start-ups that are expected to fail).</summary>
    public static ServerProcess Launch(ServerStartOptions? options = null)
    {
        options ??= new ServerStartOptions();
        if (!File.Exists(LatticeDll))
        {
            Assert.Fail($"{LatticeDll} does not exist: the test project must reference src/Lattice.Cli");
        }

        InstallExitHook();
        string? owned = null;
        string dataDirectory = options.DataDirectory ?? (owned = new TempDirectory("lattice-server").Path);
        // A restarted node keeps the address its data directory holds (the node is a member of a cluster, if of one).
        ClusterMember? stored = StoredSelf(dataDirectory);
        int port = options.Port ?? stored?.RespPort ?? FreePort.Pick();
        int? peerPort = stored is null && !HasClusterFlags(options) ? FreePort.PickDistinct([port]) : null;
        string? configFile = null;
        if (options.ConfigFileContents is not null)
        {
            configFile = Path.Combine(Path.GetTempPath(), $"lattice-itest-{Guid.NewGuid():N}.conf");
            File.WriteAllText(configFile, options.ConfigFileContents);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string arg in ServerArguments(port, peerPort, dataDirectory, configFile, options))
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port, dataDirectory, owned, configFile);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data, "");
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data, "[stderr] ");
        server.Capture($"$ dotnet {string.Join(' ', start.ArgumentList)}", "");
        try
        {
            process.Start();
        }
        catch
        {
            server._disposed = true;
            process.Dispose();
            server.DeleteFiles();
            throw;
        }

        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Opens a raw RESP connection to the server.</summary>
    public Task<RespClient> ConnectAsync() => RespClient.ConnectAsync(Port);

    /// <summary>Waits for the process to exit; returns its exit code, or null if it was still running at the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            // Also waits until the redirected output has been read to its end.
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code. Fails the test (after SIGKILL) if it does not exit.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(30);
        if (!_process.HasExited && NativeMethods.Kill(_process.Id, NativeMethods.SigTerm) != 0 && !_process.HasExited)
        {
            Assert.Fail($"kill({_process.Id}, SIGTERM) failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        int? code = await WaitForExitAsync(limit);
        if (code is null)
        {
            Kill();
            Assert.Fail($"server did not exit within {limit} of SIGTERM; output:\n{Output}");
        }

        return code.Value;
    }

    /// <summary>SIGKILL (the whole process tree) and wait for it to be gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.WaitForExit(30_000);
    }

    /// <summary>The server's resident set size in KiB from /proc/PID/status, or null once it is gone.</summary>
    public long? ResidentKilobytes()
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string number = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
        DeleteFiles();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static ClusterMember? StoredSelf(string dataDirectory)
    {
        try
        {
            return ClusterOptions.StoredSelf(dataDirectory);
        }
        catch (Exception e) when (e is IOException or StartupFailedException)
        {
            // A test that damaged the file: let the server say what is wrong.
            return null;
        }
    }

    private static bool HasClusterFlags(ServerStartOptions options)
    {
        foreach (string extra in options.ExtraArguments)
        {
            if (extra is "--initial-cluster" or "--join" or "--peer-port")
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> ServerArguments(int port, int? peerPort, string dataDirectory, string? configFile, ServerStartOptions options)
    {
        yield return LatticeDll;
        yield return "server";
        yield return "--port";
        yield return port.ToString(CultureInfo.InvariantCulture);
        yield return "--data-dir";
        yield return dataDirectory;
        yield return "--bind";
        yield return "127.0.0.1";
        if (peerPort is { } peer)
        {
            // A single node listens for peers too (on port + 10000 by default, which may be taken or out of range).
            yield return "--peer-port";
            yield return peer.ToString(CultureInfo.InvariantCulture);
        }
        if (options.AppendFsync is not null)
        {
            yield return "--appendfsync";
            yield return options.AppendFsync;
        }

        if (configFile is not null)
        {
            yield return "--config";
            yield return configFile;
        }

        foreach (string extra in options.ExtraArguments)
        {
            yield return extra;
        }
    }

    /// <summary>The dotnet host running the tests (dotnet test sets DOTNET_HOST_PATH), else dotnet from PATH.</summary>
    internal static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (Process process in Live.Values)
                {
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            };
        }
    }

    private void Capture(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(prefix).Append(line).Append('\n');
        }
    }

    private void DeleteFiles()
    {
        if (_ownedDirectory is not null)
        {
            TempDirectory.DeleteQuietly(_ownedDirectory);
        }

        if (_configFile is not null)
        {
            File.Delete(_configFile);
        }
    }

    /// <summary>Waits for PONG; true means the server could not bind its port and should be retried on another.</summary>
    private async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, bool retryIfPortInUse)
    {
        var clock = Stopwatch.StartNew();
        string lastProblem = "no attempt yet";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                string output = Output;
                if (retryIfPortInUse && output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                Assert.Fail($"server exited with code {_process.ExitCode} before answering PING; output:\n{output}");
            }

            try
            {
                using RespClient client = await RespClient.ConnectAsync(Port, TimeSpan.FromSeconds(2));
                client.ReplyTimeout = TimeSpan.FromSeconds(5);
                RespReply reply = await client.CommandAsync("PING");
                if (reply.Kind == RespKind.SimpleString && reply.Text == "PONG")
                {
                    return false;
                }

                lastProblem = $"PING answered {reply}";
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException or InvalidDataException)
            {
                lastProblem = e.Message;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"server did not answer PING within {timeout} (last: {lastProblem}); output:\n{Output}");
        return false;
    }
}
