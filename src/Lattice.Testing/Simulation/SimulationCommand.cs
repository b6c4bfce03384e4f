using System.Diagnostics;
using System.Globalization;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// <c>--seeds N [--nodes 3|5|7] [--seed S] [--plant BUG] [--list-plants]</c>: runs N seeds of the Raft simulator
/// (without --seeds, until cancelled) and ends with <c>seeds: N, violations: V, seeds/s: R</c>.
/// Exit code 0 when no violation, 1 when some, 2 for bad arguments.
/// </summary>
public static class SimulationCommand
{
    private const string Usage = "usage: --seeds N [--nodes 3|5|7] [--seed S] [--plant BUG] [--list-plants] [--verbose] [--trace-lines L]";

    public static int Run(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out CommandArguments parsed, out string error))
        {
            output.WriteLine(error);
            output.WriteLine(Usage);
            return 2;
        }

        if (parsed.ListPlants)
        {
            foreach (string name in PlantedBugNames.All)
            {
                output.WriteLine(name);
            }

            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        (long seeds, long violations) = SimulationRunner.RunMany(parsed.FirstSeed, parsed.SeedCount, parsed.NodeCount, parsed.Bug,
            result => output.WriteLine(parsed.Verbose ? result.DescribeWithTrace() : result.Describe()), cancellationToken, parsed.Verbose,
            parsed.TraceLines);
        double seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeds: {seeds}, violations: {violations}, seeds/s: {seeds / seconds:F1}"));
        return violations == 0 ? 0 : 1;
    }

    private sealed record CommandArguments(long SeedCount, int NodeCount, ulong FirstSeed, PlantedBug Bug, bool ListPlants)
    {
        public bool Verbose { get; init; }

        public int TraceLines { get; init; } = SimulationTrace.DefaultCapacity;
    }

    private static bool TryParse(IReadOnlyList<string> args, out CommandArguments parsed, out string error)
    {
        parsed = new CommandArguments(0, 0, 1, PlantedBug.None, false);
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name == "--list-plants")
            {
                parsed = parsed with { ListPlants = true };
                continue;
            }

            if (name == "--verbose")
            {
                parsed = parsed with { Verbose = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"missing value for {name}";
                return false;
            }

            string value = args[++i];
            if (!TryApply(ref parsed, name, value, out error))
            {
                return false;
            }
        }

        error = "";
        return true;
    }

    private static bool TryApply(ref CommandArguments parsed, string name, string value, out string error)
    {
        error = "";
        switch (name)
        {
            case "--seeds" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count > 0:
                parsed = parsed with { SeedCount = count };
                return true;
            case "--nodes" when value is "3" or "5" or "7":
                parsed = parsed with { NodeCount = value[0] - '0' };
                return true;
            case "--seed" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed):
                parsed = parsed with { FirstSeed = seed };
                return true;
            case "--plant" when PlantedBugNames.TryParse(value, out PlantedBug bug):
                parsed = parsed with { Bug = bug };
                return true;
            case "--trace-lines" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int lines) && lines > 0:
                parsed = parsed with { TraceLines = lines };
                return true;
            case "--plant":
                error = $"unknown planted bug '{value}' (see --list-plants)";
                return false;
            case "--seeds" or "--nodes" or "--seed" or "--trace-lines":
                error = $"bad value '{value}' for {name}";
                return false;
            default:
                error = $"unknown argument '{name}'";
                return false;
        }
    }
}
