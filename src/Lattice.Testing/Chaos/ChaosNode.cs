using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Lattice.Testing.Chaos;

/// <summary>
/// One node process of a chaos cluster, in its slot (a namespace or a pair of ports). The harness kills, pauses,
/// restarts and replaces it; an exit the harness did not cause is remembered, because a node must never crash.
/// Output goes to the slot's log file, every start marked.
/// </summary>
public sealed class ChaosNode : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _log;
    private readonly List<string> _unexpectedExits = [];
    private Process? _process;
    private bool _exitExpected;
    private bool _paused;

    public ChaosNode(int slot, ulong nodeId, IPEndPoint clientEndpoint, int peerPort, string dataDirectory, string logPath)
    {
        Slot = slot;
        NodeId = nodeId;
        ClientEndpoint = clientEndpoint;
        PeerPort = peerPort;
        DataDirectory = dataDirectory;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public int Slot { get; }

    /// <summary>The member id; a node that leaves and comes back joins under a new one.</summary>
    public ulong NodeId { get; set; }

    public IPEndPoint ClientEndpoint { get; }

    public int PeerPort { get; }

    public string DataDirectory { get; }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"n{Slot + 1}");

    /// <summary>Exits the harness did not cause, e.g. "n3 (id 3) exited with code 134" (a copy: the exit handler adds to it).</summary>
    public IReadOnlyList<string> UnexpectedExits
    {
        get
        {
            lock (_unexpectedExits)
            {
                return [.. _unexpectedExits];
            }
        }
    }

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _paused;
            }
        }
    }

    public void Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        lock (_gate)
        {
            if (_process is { HasExited: false })
            {
                throw new InvalidOperationException($"{Name} is already running");
            }

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            WriteLog($"=== start node {NodeId}: {start.FileName} {string.Join(' ', start.ArgumentList)}");
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, line) => WriteLog(line.Data);
            process.ErrorDataReceived += (_, line) => WriteLog(line.Data);
            process.Exited += (_, _) => OnExited(process);
            Volatile.Write(ref _exitExpected, false);
            _paused = false;
            // Current before it starts: an exit at once must find it current (OnExited does not wait for the gate).
            Volatile.Write(ref _process, process);
            try
            {
                process.Start();
            }
            catch
            {
                Volatile.Write(ref _process, null);
                process.Dispose();
                throw;
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
    }

    /// <summary>kill -9, and wait until the process is gone.</summary>
    public void Kill()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            if (process is null || process.HasExited)
            {
                return;
            }

            Volatile.Write(ref _exitExpected, true);
            _paused = false;
            _ = ChaosNative.Kill(process.Id, ChaosNative.SigKill);
        }

        process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stays, its sockets stay open, nothing answers.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false } process && !_paused)
            {
                _ = ChaosNative.Kill(process.Id, ChaosNative.SigStop);
                _paused = true;
            }
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false } process && _paused)
            {
                _ = ChaosNative.Kill(process.Id, ChaosNative.SigCont);
            }

            _paused = false;
        }
    }

    /// <summary>SIGTERM (a clean stop), then SIGKILL if it has not exited within the grace period.</summary>
    public void Stop(TimeSpan grace)
    {
        Resume();
        Process? process;
        lock (_gate)
        {
            process = _process;
            Volatile.Write(ref _exitExpected, true);
        }

        if (process is null || process.HasExited)
        {
            return;
        }

        _ = ChaosNative.Kill(process.Id, ChaosNative.SigTerm);
        if (!process.WaitForExit(grace))
        {
            Kill();
        }

        process.WaitForExit();
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        Process? process;
        lock (_gate)
        {
            process = _process;
            Volatile.Write(ref _process, null);
        }

        // Outside the gate: disposing a process takes the process object's lock, as its exit notification does.
        process?.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>
    /// Runs inside the process object's own lock (Process raises Exited holding it), and holders of the gate call
    /// HasExited, which takes that lock: so this never waits for the gate. The fields it reads are written with
    /// Volatile.Write.
    /// </summary>
    private void OnExited(Process process)
    {
        if (!ReferenceEquals(process, Volatile.Read(ref _process)))
        {
            return;
        }

        int code = process.ExitCode;
        bool expected = Volatile.Read(ref _exitExpected);
        WriteLog(string.Create(CultureInfo.InvariantCulture, $"=== node {NodeId} exited with code {code}{(expected ? string.Empty : " (not caused by the harness)")}"));
        if (!expected)
        {
            lock (_unexpectedExits)
            {
                _unexpectedExits.Add(string.Create(CultureInfo.InvariantCulture, $"{Name} (id {NodeId}) exited with code {code}"));
            }
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the harness closed the log has nowhere to go.
            }
        }
    }
}
