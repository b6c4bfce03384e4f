using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Lattice.Server.Cluster;

namespace Lattice.Cli;

/// <summary>
/// <c>lattice dev</c>: a local cluster for development. Starts N node processes (default 3) on consecutive client
/// ports, data under one folder, prints how to connect, relays their logs, and on Ctrl-C or SIGTERM stops every
/// node it started (SIGTERM, so each flushes its log) and waits for them. <c>--nodes 1</c> runs one node (a cluster of one).
/// </summary>
internal static class DevClusterCommand
{
    public const string Usage = """
        usage: lattice dev [--nodes N] [--base-port P] [--data-dir D]

          --nodes N        how many nodes (default 3; 1 runs a single node: a cluster of one, no replication)
          --base-port P    client port of node 1; node i listens on P+i-1 (default 7379); peers use port + 10000
          --data-dir D     parent folder of the nodes' data directories (default ./lattice-data/dev)

        Every node accepts Redis clients; writes are acknowledged once fsynced on a majority.
        Ctrl-C stops all nodes cleanly. Run it again to restart them with their data.
        """;

    private static readonly Lock ConsoleLock = new();

    public static int Run(string[] args)
    {
        int nodes = 3;
        int basePort = 7379;
        string dataDirectory = Path.Combine("lattice-data", "dev");
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag is "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"option '{flag}' needs a value");
            }

            string value = args[++i];
            switch (flag)
            {
                case "--nodes" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 9:
                    nodes = n;
                    break;
                case "--nodes":
                    return Fail($"--nodes must be 1..9, not '{value}'");
                case "--base-port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535 - 10000 - 9:
                    basePort = p;
                    break;
                case "--base-port":
                    return Fail($"--base-port must be 1..{65535 - 10000 - 9}, not '{value}'");
                case "--data-dir":
                    dataDirectory = value;
                    break;
                default:
                    return Fail($"unknown option '{flag}'");
            }
        }

        if (nodes == 1)
        {
            return ServerCommand.Run(["--port", basePort.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory], developerDefaults: true);
        }

        return RunCluster(nodes, basePort, dataDirectory);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lattice dev: {message}\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    private static int RunCluster(int count, int basePort, string dataDirectory)
    {
        var members = new List<string>();
        for (int i = 1; i <= count; i++)
        {
            members.Add(string.Create(CultureInfo.InvariantCulture, $"{i}=127.0.0.1:{basePort + i - 1}"));
        }

        string initialCluster = string.Join(',', members);
        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        var processes = new List<Process>();
        try
        {
            for (int i = 1; i <= count; i++)
            {
                string nodeDirectory = Path.Combine(dataDirectory, $"node{i}");
                processes.Add(StartNode(i, ["server", "--node-id", i.ToString(CultureInfo.InvariantCulture), "--initial-cluster", initialCluster, "--data-dir", nodeDirectory]));
            }

            Console.WriteLine($"Lattice dev cluster: {count} nodes, client ports {basePort}..{basePort + count - 1}, data in {Path.GetFullPath(dataDirectory)}");
            Console.WriteLine($"  connect:  redis-cli -p {basePort}      (any node accepts reads and writes)");
            Console.WriteLine($"  status:   ./lattice status --port {basePort}");
            Console.WriteLine("  Ctrl-C stops all nodes.");
            while (!stop.Wait(200))
            {
                int running = 0;
                foreach (Process process in processes)
                {
                    running += process.HasExited ? 0 : 1;
                }

                if (running == 0)
                {
                    Console.Error.WriteLine("lattice dev: every node has exited");
                    return 1;
                }
            }

            return 0;
        }
        finally
        {
            StopAll(processes);
        }
    }

    private static Process StartNode(int id, string[] arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.FileName = LatticeExecutable.FileName;
        foreach (string argument in (string[])[.. LatticeExecutable.PrefixArguments, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        string prefix = $"[node {id}] ";
        process.OutputDataReceived += (_, e) => Relay(prefix, e.Data, Console.Out);
        process.ErrorDataReceived += (_, e) => Relay(prefix, e.Data, Console.Error);
        process.Exited += (_, _) => Relay(prefix, $"exited with code {process.ExitCode}", Console.Out);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Relay(string prefix, string? line, TextWriter writer)
    {
        if (line is null)
        {
            return;
        }

        lock (ConsoleLock)
        {
            writer.WriteLine(prefix + line);
        }
    }

    private static void StopAll(List<Process> processes)
    {
        foreach (Process process in processes)
        {
            if (!process.HasExited)
            {
                _ = NativeMethods.Kill(process.Id, NativeMethods.SigTerm);
            }
        }

        foreach (Process process in processes)
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                Relay("", $"node pid {process.Id} did not stop in 15 s; killing it", Console.Error);
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    private static void Stop(PosixSignalContext context, ManualResetEventSlim stop)
    {
        context.Cancel = true;
        stop.Set();
    }
}
