using System.Globalization;
using Lattice.Bench;
using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;

namespace Lattice.Cli;

/// <summary>
/// <c>lattice bench</c>: one YCSB workload against one system (Lattice, Redis, etcd, or the no-op driver), and
/// <c>lattice bench compare</c> (<see cref="BenchCompareCommand"/>) for all three side by side.
/// </summary>
internal static class BenchCommand
{
    public const string Usage = """
        usage: lattice bench --target lattice|redis|etcd|noop [options]
               lattice bench compare --help

          --target T          system under test (noop: no store, measures the harness's own cost)
          --endpoints LIST    HOST:PORT,... (client i uses endpoint i mod n); defaults: lattice
                              127.0.0.1:7379,7380,7381, redis 127.0.0.1:6379, etcd 127.0.0.1:2379
          --workload W        YCSB core workload A..F (default A)
          --distribution D    zipfian|uniform|latest: override the workload's request distribution
          --clients N         concurrent clients (default 16)
          --duration S        seconds to measure (default 10), or
          --operations N      total operations instead of a duration
          --warmup S          seconds run before measuring (default 0)
          --records N         records loaded before the run (default 10000)
          --value-size B      bytes per record value (default 1000, YCSB's 10 x 100 B)
          --rate OPS          target throughput: open loop, latency from each operation's intended send time
                              (default 0: closed loop, as fast as replies return)
          --pipeline D        RESP targets: operations per client sent before reading replies (default 1)
          --skip-load         records are already loaded
          --load-clients N    clients used by the load phase (default 32)
          --seed S            seed for operation and key choice (default 1)
          --json FILE         also write the result as JSON
          --progress          live throughput line on stderr even when it is not a terminal

        The last line printed is "throughput: X ops/s, p50: ... ms, p99: ... ms, p99.9: ... ms".
        """;

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "compare")
        {
            return BenchCompareCommand.Run(args[1..]);
        }

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
        bool progress = parsed.Switches.Contains("--progress");
        bool skipLoad = parsed.Switches.Contains("--skip-load");
        string? error = TryBuild(options, skipLoad, out IBenchTarget? target, out BenchSettings? settings);
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
        TextWriter? progressOutput = progress || !Console.IsErrorRedirected ? Console.Error : null;
        try
        {
            BenchResult result = RunAsync(target!, settings!, progressOutput, cancel.Token).GetAwaiter().GetResult();
            result = result with { Command = "lattice bench " + string.Join(' ', args) };
            if (options.TryGetValue("--json", out string? jsonPath))
            {
                using FileStream file = File.Create(jsonPath);
                BenchResultJson.Write(file, [result]);
            }

            BenchReport.Write(Console.Out, result);
            return result.Errors > 0 ? 1 : 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"lattice bench: {e.Message}");
            return 1;
        }
    }

    private static readonly HashSet<string> Switches = ["--progress", "--skip-load"];

    private static readonly HashSet<string> Known =
    [
        "--target", "--endpoints", "--workload", "--distribution", "--clients", "--duration", "--operations", "--warmup",
        "--records", "--value-size", "--rate", "--pipeline", "--load-clients", "--seed", "--json",
    ];

    /// <summary>Parses the options shared with compare into a target and settings; an error text when one is bad.</summary>
    public static string? TryBuild(Dictionary<string, string> options, bool skipLoad, out IBenchTarget? target, out BenchSettings? settings)
    {
        target = null;
        settings = null;
        string name = options.GetValueOrDefault("--target", "");
        if (!BenchTargets.Names.Contains(name))
        {
            return $"--target must be one of {string.Join(", ", BenchTargets.Names)}";
        }

        WorkloadSpec? workload = CoreWorkloads.Find(options.GetValueOrDefault("--workload", "A"));
        if (workload is null)
        {
            return "--workload must be one of A, B, C, D, E, F";
        }

        if (options.TryGetValue("--distribution", out string? distribution))
        {
            KeyDistribution? parsed = distribution switch
            {
                "zipfian" => KeyDistribution.Zipfian,
                "uniform" => KeyDistribution.Uniform,
                "latest" => KeyDistribution.Latest,
                _ => null,
            };
            if (parsed is null)
            {
                return "--distribution must be zipfian, uniform or latest";
            }

            workload = workload with { Distribution = parsed.Value };
        }

        IReadOnlyList<BenchEndpoint>? endpoints = BenchEndpoint.TryParseList(options.GetValueOrDefault("--endpoints", BenchTargets.DefaultEndpoints(name)), out string? endpointError);
        if (endpoints is null)
        {
            return $"--endpoints: {endpointError}";
        }

        if (!Number(options, "--clients", 16, 1, 10_000, out long clients) || !Number(options, "--duration", 10, 1, 86_400, out long duration)
            || !Number(options, "--operations", 0, 0, long.MaxValue, out long operations) || !Number(options, "--warmup", 0, 0, 3600, out long warmup)
            || !Number(options, "--records", 10_000, 1, 1_000_000_000, out long records) || !Number(options, "--value-size", 1000, 1, 1 << 20, out long valueSize)
            || !Number(options, "--rate", 0, 0, 100_000_000, out long rate) || !Number(options, "--pipeline", 1, 1, 1024, out long pipeline)
            || !Number(options, "--load-clients", 32, 1, 10_000, out long loadClients) || !Number(options, "--seed", 1, 0, long.MaxValue, out long seed))
        {
            return "a numeric option is out of range or not a number (lattice bench --help)";
        }

        if (pipeline > 1 && name == "etcd")
        {
            return "--pipeline applies to RESP targets (lattice, redis) only";
        }

        target = BenchTargets.Create(name, endpoints, (int)pipeline, (int)valueSize, (ulong)seed, TimeProvider.System);
        settings = new BenchSettings
        {
            Workload = workload,
            Clients = (int)clients,
            Duration = TimeSpan.FromSeconds(duration),
            OperationCount = operations,
            Warmup = TimeSpan.FromSeconds(warmup),
            RecordCount = records,
            ValueSizeBytes = (int)valueSize,
            TargetOpsPerSecond = rate,
            LoadClients = (int)loadClients,
            Seed = (ulong)seed,
            SkipLoad = skipLoad || name == "noop",
        };
        return null;
    }

    public static async Task<BenchResult> RunAsync(IBenchTarget target, BenchSettings settings, TextWriter? progress, CancellationToken cancellationToken)
    {
        var runner = new BenchRunner(TimeProvider.System, progress);
        if (!settings.SkipLoad)
        {
            long started = TimeProvider.System.GetTimestamp();
            await runner.LoadAsync(target, settings, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loaded {settings.RecordCount} records into {target.Name} in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s"));
        }

        return await runner.RunAsync(target, settings, cancellationToken).ConfigureAwait(false);
    }

    private static bool Number(Dictionary<string, string> options, string name, long fallback, long min, long max, out long value)
    {
        value = fallback;
        if (!options.TryGetValue(name, out string? text))
        {
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lattice bench: {message}\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
