using System.Runtime.InteropServices;
using Lattice.Server;
using Lattice.Storage;

namespace Lattice.Cli;

/// <summary><c>lattice server</c> and <c>lattice dev</c>: parse flags, start the node, stop cleanly on SIGTERM/Ctrl-C.</summary>
internal static class ServerCommand
{
    public const string Usage = """
        usage: lattice server [--port P] [--data-dir D] [--bind ADDR] [--appendfsync always|everysec|no] [--config FILE]

          --port P          TCP port for Redis clients (default 7379)
          --data-dir D      where the log and snapshots live (default ./lattice-data); created if missing
          --bind ADDR       address to listen on (default 127.0.0.1)
          --appendfsync X   always   (default) a write is acknowledged after its log record is fsynced
                            everysec acknowledged once written to the OS; fsync once a second
                            no       acknowledged once written to the OS; the OS decides when to sync
          --config FILE     redis.conf-style settings, one "name value" per line (see docs/operations.md);
                            flags given on the command line win over the file

        Connect with any Redis client, e.g. redis-cli -p 7379. Stop with Ctrl-C or SIGTERM: the log is flushed
        and synced before the process exits.
        """;

    public static int Run(string[] args, bool developerDefaults)
    {
        var options = new ServerOptions();
        if (developerDefaults)
        {
            options.DataDirectory = Path.Combine("lattice-data", "dev");
        }

        string? error = Parse(args, options, out bool help);
        if (help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        error ??= options.Validate();
        if (error is not null)
        {
            Console.Error.WriteLine($"lattice server: {error}\n");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (developerDefaults)
        {
            Console.WriteLine($"Lattice dev node: redis-cli -p {options.Port}   (data in {Path.GetFullPath(options.DataDirectory)}; Ctrl-C stops)");
        }

        LatticeServer.ConfigureSocketThreads(options);
        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        try
        {
            return LatticeServer.RunAsync(options, Console.Out, stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is CorruptLogException or CorruptSnapshotException or StartupFailedException or DataDirectoryInUseException)
        {
            Console.Error.WriteLine($"lattice server: cannot start: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            string reason = e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? "address already in use" : e.Message;
            Console.Error.WriteLine($"lattice server: cannot listen on {options.Bind}:{options.Port}: {reason}");
            return 1;
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Stop in order (connections, then log flush) instead of letting the runtime exit at once.
        context.Cancel = true;
        stop.Cancel();
    }

    private static string? Parse(string[] args, ServerOptions options, out bool help)
    {
        help = false;
        string? configFile = null;
        var overrides = new List<(string Name, string Value)>();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag is "--help" or "-h")
            {
                help = true;
                return null;
            }

            if (!flag.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return $"unexpected argument '{flag}'";
            }

            string value = args[++i];
            switch (flag)
            {
                case "--port":
                    overrides.Add(("port", value));
                    break;
                case "--data-dir":
                    overrides.Add(("dir", value));
                    break;
                case "--bind":
                    overrides.Add(("bind", value));
                    break;
                case "--appendfsync":
                    overrides.Add(("appendfsync", value));
                    break;
                case "--config":
                    configFile = value;
                    break;
                default:
                    return $"unknown option '{flag}'";
            }
        }

        if (configFile is not null && options.LoadFile(configFile) is { } fileError)
        {
            return fileError;
        }

        foreach ((string name, string value) in overrides)
        {
            if (options.TrySet(name, value, atRuntime: false) is { } flagError)
            {
                return flagError;
            }
        }

        return null;
    }
}
