using System.Globalization;
using Lattice.Server.Cluster;

namespace Lattice.Cli;

/// <summary>
/// <c>lattice admin add-node | remove-node | transfer-leader</c>: sends the LATTICE command to one node (any member)
/// and prints the outcome. The node carries the change through and answers once it has taken effect.
/// </summary>
internal static class AdminCommand
{
    public const string Usage = """
        usage: lattice admin add-node ID HOST:PORT[@PEERPORT] [--host H --port P]
               lattice admin remove-node ID [--host H --port P]
               lattice admin transfer-leader ID [--host H --port P]

          add-node         records the node's address, adds it as a learner, waits until it has caught up, then
                           makes it a voter (start it with: lattice server --node-id ID --join H:P ...; a node
                           started with --join adds itself)
          remove-node      moves leadership away from the node if it leads, then removes it
          transfer-leader  makes the node the leader
          --host, --port   any member's client address (default 127.0.0.1:7379)
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        string host = "127.0.0.1";
        int port = 7379;
        var positional = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--host" when i + 1 < args.Length:
                    host = args[++i];
                    break;
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535:
                    port = p;
                    i++;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        return Fail($"bad option '{args[i]}'");
                    }

                    positional.Add(args[i]);
                    break;
            }
        }

        string[] command = (args[0], positional.Count) switch
        {
            ("add-node", 2) => ["LATTICE", "ADD-NODE", positional[0], positional[1]],
            ("remove-node", 1) => ["LATTICE", "REMOVE-NODE", positional[0]],
            ("transfer-leader", 1) => ["LATTICE", "TRANSFER-LEADER", positional[0]],
            _ => [],
        };
        if (command.Length == 0)
        {
            return Fail($"'{string.Join(' ', args)}' is not a valid admin command");
        }

        try
        {
            AdminClient.Command($"{host}:{port}", command, TimeSpan.FromMinutes(3));
            Console.WriteLine($"{args[0]} {string.Join(' ', positional)}: done");
            return 0;
        }
        catch (Exception e) when (e is IOException or AdminCommandException)
        {
            Console.Error.WriteLine($"lattice admin {args[0]}: {e.Message}");
            return 1;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lattice admin: {message}\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
