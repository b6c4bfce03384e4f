using System.Globalization;
using Lattice.Server.Cluster;

namespace Lattice.Cli;

/// <summary>
/// <c>lattice status</c>: asks one node for the member list (INFO replication), then every member for its view, and
/// prints one line per node: role, term, commit and applied index, lag behind the leader's commit, and the leader.
/// </summary>
internal static class StatusCommand
{
    public const string Usage = """
        usage: lattice status [--host H] [--port P]

          --host H   any cluster node's address (default 127.0.0.1)
          --port P   its client port (default 7379)
        """;

    public static int Run(string[] args)
    {
        string host = "127.0.0.1";
        int port = 7379;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"option '{args[i]}' needs a value");
            }

            string value = args[++i];
            switch (args[i - 1])
            {
                case "--host":
                    host = value;
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535:
                    port = p;
                    break;
                default:
                    return Fail($"bad option '{args[i - 1]} {value}'");
            }
        }

        Dictionary<string, string>? first = Query(host, port, out string? error);
        if (first is null)
        {
            Console.Error.WriteLine($"lattice status: cannot reach {host}:{port}: {error}");
            return 1;
        }

        if (!first.TryGetValue("raft_members", out string? memberList))
        {
            // Every Lattice node reports its members (a single one too): this is some other server.
            Console.Error.WriteLine($"lattice status: {host}:{port} is not a Lattice node (its INFO replication has no raft_members)");
            return 1;
        }

        var rows = new List<(string Id, string Address, Dictionary<string, string>? Info, string? Error)>();
        foreach (string member in memberList.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string id = member[..member.IndexOf('=', StringComparison.Ordinal)];
            string address = member[(id.Length + 1)..];
            string hostPort = address.Contains('@', StringComparison.Ordinal) ? address[..address.IndexOf('@', StringComparison.Ordinal)] : address;
            int colon = hostPort.LastIndexOf(':');
            Dictionary<string, string>? info = Query(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture), out string? queryError);
            rows.Add((id, hostPort, info, queryError));
        }

        ulong leaderCommit = 0;
        string leader = "none";
        foreach ((string id, _, Dictionary<string, string>? info, _) in rows)
        {
            if (info is not null && info.GetValueOrDefault("raft_role") == "leader")
            {
                leaderCommit = ulong.Parse(info["raft_commit_index"], CultureInfo.InvariantCulture);
                leader = id;
            }
        }

        Console.WriteLine($"{"node",-5} {"address",-22} {"role",-10} {"term",6} {"commit",10} {"applied",10} {"lag",8}  leader");
        foreach ((string id, string address, Dictionary<string, string>? info, string? queryError) in rows)
        {
            if (info is null)
            {
                Console.WriteLine($"{id,-5} {address,-22} {"down",-10} ({queryError})");
                continue;
            }

            ulong applied = ulong.Parse(info.GetValueOrDefault("raft_applied_index", "0"), CultureInfo.InvariantCulture);
            string lag = leaderCommit == 0 ? "?" : (leaderCommit > applied ? leaderCommit - applied : 0).ToString(CultureInfo.InvariantCulture);
            string seen = info.GetValueOrDefault("raft_leader_id", "0");
            Console.WriteLine($"{id,-5} {address,-22} {info.GetValueOrDefault("raft_role", "?"),-10} {info.GetValueOrDefault("raft_term", "?"),6} " +
                $"{info.GetValueOrDefault("raft_commit_index", "?"),10} {applied,10} {lag,8}  {(seen == "0" ? "unknown" : seen)}");
        }

        Console.WriteLine($"leader: {(leader == "none" ? "none reachable" : $"node {leader}")}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lattice status: {message}\n");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>INFO replication of one node, as name → value; null (with the reason) when it does not answer.</summary>
    private static Dictionary<string, string>? Query(string host, int port, out string? error)
    {
        error = null;
        try
        {
            return AdminClient.Info($"{host}:{port}", "replication", TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or AdminCommandException)
        {
            error = e.Message;
            return null;
        }
    }
}
