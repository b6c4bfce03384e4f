using System.Globalization;
using Lattice.Bench;
using Lattice.Bench.Compare;
using Lattice.Bench.Workloads;

namespace Lattice.Cli;

/// <summary>
/// <c>lattice bench compare</c>: starts Lattice (3 nodes), redis-server and etcd (3 members) on loopback, runs the
/// chosen YCSB workloads against each and writes JSON, a markdown table and SVG plots. Every process it starts is
/// stopped by pid when done, on failure, on Ctrl-C and on SIGTERM.
/// </summary>
internal static class BenchCompareCommand
{
    public const string Usage = """
        usage: lattice bench compare [options]      (bench/compare.sh installs redis-server and etcd first)

          --systems LIST      lattice,redis,etcd (default all three)
          --workloads LIST    YCSB workloads, e.g. A,B,C,F (default A,B,C,F)
          --clients LIST      client counts, e.g. 1,16,64 (default 1,16,64)
          --duration S        measured seconds per cell (default 30)
          --warmup S          unmeasured seconds before each cell (default 2)
          --records N         records loaded into each system (default 10000)
          --value-size B      bytes per value (default 1000)
          --pipeline D        RESP pipelining depth (default 1)
          --no-noop           skip the no-op (harness overhead) cells
          --noop-duration S   seconds per no-op cell (default 5)
          --out-md FILE       markdown report (default docs/benchmarks-ycsb.md); plots go beside it
                              as NAME-throughput.svg and NAME-latency.svg
          --out-json FILE     JSON results (default bench/results-ycsb.json)
          --work-dir DIR      where data directories and logs go (default a new temp folder, removed after)
          --pid-file FILE     append every started pid here (the wrapper script's safety net)
          --progress          live throughput line on stderr even when it is not a terminal
        """;

    public static int Run(string[] args)
    {
        if (OptionArguments.TryParse(args, Known, Switches, out OptionArguments parsed) is { } parseError)
        {
            return Fail(parseError);
        }

        if (parsed.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        Dictionary<string, string> options = parsed.Values;
        bool noop = !parsed.Switches.Contains("--no-noop");
        bool progress = parsed.Switches.Contains("--progress");
        string? error = TryBuild(options, noop, args, out CompareSettings? settings, out bool ownWorkDirectory);
        if (error is not null)
        {
            return Fail(error);
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        // SIGTERM or an unhandled exit still stops the servers.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.StopAll();
        TextWriter? progressOutput = progress || !Console.IsErrorRedirected ? Console.Error : null;
        try
        {
            new CompareRunner(settings!, Console.Out, progressOutput, TimeProvider.System).RunAsync(cancel.Token).GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or InvalidOperationException
            or TimeoutException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"lattice bench compare: {e.Message}");
            return 1;
        }
        finally
        {
            ChildProcess.StopAll();
            if (ownWorkDirectory)
            {
                DeleteQuietly(settings!.WorkDirectory);
            }
        }
    }

    private static readonly HashSet<string> Switches = ["--no-noop", "--progress"];

    private static readonly HashSet<string> Known =
    [
        "--systems", "--workloads", "--clients", "--duration", "--warmup", "--records", "--value-size", "--pipeline",
        "--noop-duration", "--out-md", "--out-json", "--work-dir", "--pid-file",
    ];

    private static string? TryBuild(Dictionary<string, string> options, bool noop, string[] args, out CompareSettings? settings, out bool ownWorkDirectory)
    {
        settings = null;
        ownWorkDirectory = false;
        string[] systems = List(options, "--systems", "lattice,redis,etcd");
        if (systems.Length == 0 || systems.Any(s => s is not ("lattice" or "redis" or "etcd")))
        {
            return "--systems takes lattice, redis and/or etcd";
        }

        string[] workloads = List(options, "--workloads", "A,B,C,F").Select(w => w.ToUpperInvariant()).ToArray();
        if (workloads.Length == 0 || workloads.Any(w => CoreWorkloads.Find(w) is null))
        {
            return "--workloads takes letters A to F";
        }

        var clients = new List<int>();
        foreach (string text in List(options, "--clients", "1,16,64"))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n is < 1 or > 10_000)
            {
                return $"--clients: '{text}' is not a client count";
            }

            clients.Add(n);
        }

        if (!Number(options, "--duration", 30, 1, 86_400, out long duration) || !Number(options, "--warmup", 2, 0, 3600, out long warmup)
            || !Number(options, "--records", 10_000, 1, 1_000_000_000, out long records) || !Number(options, "--value-size", 1000, 1, 1 << 20, out long valueSize)
            || !Number(options, "--pipeline", 1, 1, 1024, out long pipeline) || !Number(options, "--noop-duration", 5, 1, 3600, out long noopDuration))
        {
            return "a numeric option is out of range or not a number (lattice bench compare --help)";
        }

        string workDirectory;
        if (options.TryGetValue("--work-dir", out string? given))
        {
            workDirectory = Path.GetFullPath(given);
            Directory.CreateDirectory(workDirectory);
        }
        else
        {
            workDirectory = Directory.CreateTempSubdirectory("lattice-bench-").FullName;
            ownWorkDirectory = true;
        }

        string markdown = Path.GetFullPath(options.GetValueOrDefault("--out-md", "docs/benchmarks-ycsb.md"));
        string json = Path.GetFullPath(options.GetValueOrDefault("--out-json", "bench/results-ycsb.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(markdown)!);
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        settings = new CompareSettings
        {
            Systems = systems,
            Workloads = workloads,
            ClientCounts = clients,
            Duration = TimeSpan.FromSeconds(duration),
            Warmup = TimeSpan.FromSeconds(warmup),
            NoopDuration = TimeSpan.FromSeconds(noopDuration),
            RecordCount = records,
            ValueSizeBytes = (int)valueSize,
            PipelineDepth = (int)pipeline,
            RunNoop = noop,
            WorkDirectory = workDirectory,
            MarkdownPath = markdown,
            JsonPath = json,
            PidFile = options.GetValueOrDefault("--pid-file"),
            LatticeCommand = LatticeCommand(),
            Command = "./lattice bench compare " + string.Join(' ', ReportedArguments(args)),
        };
        return null;
    }

    /// <summary>The arguments worth quoting in the report: without the wrapper's pid file and the progress switch.</summary>
    private static IEnumerable<string> ReportedArguments(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--pid-file")
            {
                i++;
            }
            else if (args[i] != "--progress")
            {
                yield return args[i];
            }
        }
    }

    /// <summary>How to start this same build of lattice: the app host when there is one, else dotnet with lattice.dll.</summary>
    private static string[] LatticeCommand()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "lattice.dll");
        string? host = Environment.ProcessPath;
        return host is not null && Path.GetFileNameWithoutExtension(host) == "lattice" ? [host] : ["dotnet", dll];
    }

    private static string[] List(Dictionary<string, string> options, string name, string fallback) =>
        options.GetValueOrDefault(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Number(Dictionary<string, string> options, string name, long fallback, long min, long max, out long value)
    {
        value = fallback;
        return !options.TryGetValue(name, out string? text)
            || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A just-killed server may still hold a file; the temp folder is cleaned by the OS eventually.
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lattice bench compare: {message}\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
