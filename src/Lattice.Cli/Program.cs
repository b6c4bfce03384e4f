using System.Runtime.InteropServices;
using Lattice.Testing.Simulation;

namespace Lattice.Cli;

internal static class Program
{
    private const string Usage = """
        usage: lattice <command> [options]

        commands:
          dev      start a local 3-node cluster for development: client ports 7379..7381,
                   data in ./lattice-data/dev (lattice dev --help for options)
          server   start a node: lattice server --help for options
          status   show each cluster node's role, term, commit and applied index, lag and the leader
          admin    add-node | remove-node | transfer-leader (lattice admin --help)
          bench    YCSB workloads against Lattice, Redis or etcd (lattice bench --help; compare: all three)
          chaos    Jepsen-style faults against real node processes, histories checked; ends with
                   "verdict: valid" or "verdict: invalid (...)" (lattice chaos --help)
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

        if (args[0] == "server")
        {
            return ServerCommand.Run(args[1..], developerDefaults: false);
        }

        if (args[0] == "dev")
        {
            return DevClusterCommand.Run(args[1..]);
        }

        if (args[0] == "admin")
        {
            return AdminCommand.Run(args[1..]);
        }

        if (args[0] == "status")
        {
            return StatusCommand.Run(args[1..]);
        }

        if (args[0] == "bench")
        {
            return BenchCommand.Run(args[1..]);
        }

        if (args[0] == "chaos")
        {
            // Ctrl-C or SIGTERM ends the run early but cleanly: the harness stops the nodes it started and removes
            // its namespaces before the process exits.
            using var cancel = new CancellationTokenSource();
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, cancel));
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, cancel));
            return args.Length > 1 && args[1] == "--sim"
                ? SimulationCommand.Run(args[2..], Console.Out, cancel.Token)
                : ChaosCommand.Run(args[1..], Console.Out, cancel.Token);
        }

        Console.Error.WriteLine($"lattice: unknown command '{args[0]}' (lattice help lists the commands)");
        return 2;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource cancel)
    {
        context.Cancel = true;
        cancel.Cancel();
    }
}
