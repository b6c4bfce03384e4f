using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Lattice.Bench.Compare;

/// <summary>
/// A server process started by the comparison, its output going to a log file. It is started through
/// <c>/bin/sh -c 'exec …'</c> so the pid we hold is the server's own. Each pid is also appended to a pid file (when
/// given) so the wrapper script can stop them even if this process is killed; <see cref="StopAll"/> ends every
/// live one by pid.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Live = new();

    private readonly Process _process;

    private ChildProcess(Process process, string name, string logPath)
    {
        _process = process;
        Name = name;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IReadOnlyList<string> arguments, string logPath, string? pidFile)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$LATTICE_BENCH_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LATTICE_BENCH_LOG"] = logPath;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var child = new ChildProcess(process, name, logPath);
        Live[process.Id] = child;
        if (pidFile is not null)
        {
            File.AppendAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        }

        return child;
    }

    /// <summary>Kills every child still running (for Ctrl-C and process exit).</summary>
    public static void StopAll()
    {
        foreach (ChildProcess child in Live.Values)
        {
            child.Dispose();
        }
    }

    /// <summary>The last lines of the log, for error messages.</summary>
    public string LogTail(int lines = 20)
    {
        try
        {
            string[] all = File.ReadAllLines(LogPath);
            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        Live.TryRemove(_process.Id, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
