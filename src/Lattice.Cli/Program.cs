using Lattice.Testing.Simulation;

namespace Lattice.Cli;

internal static class Program
{
    private const string Usage = """
        usage: lattice <command> [options]

        commands:
          chaos --sim [--seeds N] [--nodes 3|5|7] [--seed S] [--plant BUG] [--list-plants]
                   run the seeded whole-cluster Raft simulation with faults and safety checks;
                   ends with "seeds: N, violations: V, seeds/s: R"
          help     show this text

        The Redis-compatible node (lattice server, lattice dev) is not available in this build yet.
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "chaos" && args.Length > 1 && args[1] == "--sim")
        {
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            return SimulationCommand.Run(args[2..], Console.Out, cancel.Token);
        }

        Console.Error.WriteLine($"lattice: unknown or unavailable command '{string.Join(' ', args)}'\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
