using Lattice.Testing.Simulation;

namespace Lattice.Cli;

internal static class Program
{
    private const string Usage = """
        usage: lattice <command> [options]

        commands:
          dev      start a local node for development: port 7379, data in ./lattice-data/dev
                   (same options as server)
          server   start a node: lattice server --help for options
          chaos --sim [--seeds N] [--nodes 3|5|7] [--seed S] [--plant BUG] [--list-plants]
                   run the seeded whole-cluster Raft simulation with faults and safety checks;
                   ends with "seeds: N, violations: V, seeds/s: R"
          help     show this text
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] is "server" or "dev")
        {
            return ServerCommand.Run(args[1..], developerDefaults: args[0] == "dev");
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
