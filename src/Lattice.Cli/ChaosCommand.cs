using System.Globalization;
using Lattice.Testing.Chaos;

namespace Lattice.Cli;

/// <summary>`lattice chaos`: a Jepsen-style run against real node processes; the last line is the verdict.</summary>
internal static class ChaosCommand
{
    public const string Usage = """
        usage: lattice chaos [--time SECONDS] [--nodes N] [--nemesis LIST] [--workload LIST] [--unsafe MODE]
                             [--clients N] [--rate R] [--fault-time S] [--quiet-time S] [--seed S] [--out DIR]
                             [--fault-seam]
               lattice chaos --check DIR

        Starts N real nodes (default 5), each in its own network namespace joined by a bridge (needs root and
        ip/iptables; otherwise the nodes run on loopback and partitions go through the nodes' transport fault
        seam, which the report says). Clients run the workloads over RESP while faults are injected on a
        schedule, then everything is healed, every key is read once more, and the histories are checked.

          --time SECONDS     how long clients run and faults are injected (default 60)
          --nodes N          3..9 (default 5)
          --nemesis LIST     partition,kill,pause,clock,membership | all | none (default all)
          --workload LIST    register,counter,set,append | all (default all)
          --unsafe MODE      start the nodes with --unsafe stale-reads|early-ack: the run must come out invalid
          --clients N        concurrent clients per workload (default 4)
          --rate R           operations per second per workload, shared by its clients (default 100;
                             0 = as fast as they can); keeps long runs' histories and checking bounded
          --fault-time S     how long each fault lasts on average (default 8 seconds; ± 50 %)
          --quiet-time S     the average quiet spell between faults (default 4 seconds; ± 50 %)
          --seed S           seeds faults and operations (default 1)
          --out DIR          where runs go (default ./chaos-runs); each run gets its own folder with the
                             history (JSON lines), report.md, plot.svg and node logs
          --fault-seam       use the transport's fault seam even where namespaces are available

        The last line is "verdict: valid" or "verdict: invalid (...)"; exit code 0 when valid, 1 when not.
        --check DIR checks a saved run's histories again (history-*.jsonl) and redraws its plot.svg.
        lattice chaos --sim runs the deterministic Raft simulation instead (lattice chaos --sim --help).
        """;

    private static readonly HashSet<string> Known = ["--time", "--nodes", "--nemesis", "--workload", "--unsafe", "--clients", "--rate", "--fault-time", "--quiet-time", "--seed", "--out"];
    private static readonly HashSet<string> Switches = ["--fault-seam"];

    public static int Run(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && args[0] == "--check")
        {
            return args.Length == 2 ? Recheck(args[1], output) : Fail("--check takes one run directory");
        }

        if (OptionArguments.TryParse(args, Known, Switches, out OptionArguments parsed) is { } parseError)
        {
            return Fail(parseError);
        }

        if (parsed.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }

        var options = new ChaosOptions
        {
            NodeExecutable = LatticeExecutable.FileName,
            NodeExecutableArguments = LatticeExecutable.PrefixArguments,
            ForceFaultSeam = parsed.Switches.Contains("--fault-seam"),
            UnsafeMode = parsed.Values.GetValueOrDefault("--unsafe"),
            OutputDirectory = parsed.Values.GetValueOrDefault("--out", "chaos-runs"),
        };
        if (!Number(parsed, "--time", 60, out long seconds) || !Number(parsed, "--nodes", 5, out long nodes)
            || !Number(parsed, "--clients", 4, out long clients) || !Number(parsed, "--seed", 1, out long seed)
            || !Number(parsed, "--rate", 100, out long rate) || !Number(parsed, "--fault-time", 8, out long faultTime)
            || !Number(parsed, "--quiet-time", 4, out long quietTime) || faultTime is < 1 or > 3600 || quietTime is < 1 or > 3600)
        {
            return Fail("--time, --nodes, --clients, --rate and --seed take whole numbers; --fault-time and --quiet-time 1..3600 seconds");
        }

        options.FaultTime = TimeSpan.FromSeconds(faultTime);
        options.QuietTime = TimeSpan.FromSeconds(quietTime);

        options.RatePerWorkload = (int)Math.Min(rate, int.MaxValue);
        options.Duration = TimeSpan.FromSeconds(seconds);
        options.Nodes = (int)Math.Min(nodes, int.MaxValue);
        options.ClientsPerWorkload = (int)Math.Min(clients, int.MaxValue);
        options.Seed = (ulong)seed;
        if (!TryFlags(parsed.Values.GetValueOrDefault("--nemesis", "all"), ChaosNemesisKinds.All, out ChaosNemesisKinds nemeses)
            || !TryFlags(parsed.Values.GetValueOrDefault("--workload", "all"), ChaosWorkloadKinds.All, out ChaosWorkloadKinds workloads))
        {
            return Fail("--nemesis takes partition,kill,pause,clock,membership|all|none; --workload takes register,counter,set,append|all");
        }

        options.Nemeses = nemeses;
        options.Workloads = workloads;
        try
        {
            options.Validate();
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }

        try
        {
            ChaosResult result = ChaosRunner.RunAsync(options, output, cancellationToken).GetAwaiter().GetResult();
            return result.IsValid ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("chaos: interrupted before the clients started; nodes stopped");
            return 130;
        }
    }

    private static int Recheck(string directory, TextWriter output)
    {
        try
        {
            (bool valid, _) = ChaosRecheck.RunAsync(directory, output).GetAwaiter().GetResult();
            return valid ? 0 : 1;
        }
        catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"lattice chaos --check: {exception.Message}");
            return 2;
        }
    }

    /// <summary>A comma list of flag names (any case), "all" or "none".</summary>
    internal static bool TryFlags<TEnum>(string text, TEnum all, out TEnum flags)
        where TEnum : struct, Enum
    {
        flags = default;
        if (text == "all")
        {
            flags = all;
            return true;
        }

        if (text == "none")
        {
            return true;
        }

        long bits = 0;
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (name is "all" or "none" || !Enum.TryParse(name, ignoreCase: true, out TEnum value) || !Enum.IsDefined(value))
            {
                return false;
            }

            bits |= Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }

        flags = (TEnum)Enum.ToObject(typeof(TEnum), bits);
        return bits != 0;
    }

    private static bool Number(OptionArguments parsed, string name, long fallback, out long value)
    {
        value = fallback;
        return !parsed.Values.TryGetValue(name, out string? text)
            || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("lattice chaos: " + message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
