using System.Globalization;
using System.Text;
using Lattice.Engine;
using Lattice.Resp;
using Lattice.Server.Cluster;

namespace Lattice.Server;

/// <summary>
/// LATTICE MEMBERS | ADD-NODE id host:port[@peerport] | REMOVE-NODE id | TRANSFER-LEADER id: cluster membership
/// from any node (what <c>lattice admin</c> and a joining node send). Changes answer once they have taken effect.
/// LATTICE TEST ... is the chaos harness's fault injection (<see cref="LatticeTestCommand"/>).
/// </summary>
internal static class LatticeCommand
{
    /// <summary>What COMMAND DOCS lists under LATTICE; the dispatch is in Run.</summary>
    private static readonly SubcommandDoc[] SubcommandDocs =
    [
        new("lattice|members", "Returns the cluster's members.", ""),
        new("lattice|cluster-id", "Returns the cluster's ID.", ""),
        new("lattice|add-node", "Adds a node to the cluster.", "node-id:integer address"),
        new("lattice|remove-node", "Removes a node from the cluster.", "node-id:integer"),
        new("lattice|transfer-leader", "Hands leadership to another node.", "node-id:integer"),
    ];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "lattice", -2, CommandFlags.Admin, Run, "Cluster membership: MEMBERS, ADD-NODE, REMOVE-NODE, TRANSFER-LEADER; TEST (fault injection, with --test-hooks).",
            "", "cluster", subcommands: SubcommandDocs);

    private static void Run(ClientSession session, CommandArgs args)
    {
        string sub = Encoding.UTF8.GetString(args[1]).ToUpperInvariant();
        if (sub == "TEST")
        {
            LatticeTestCommand.Run(session, args);
            return;
        }

        ClusterNode cluster = session.Server.Cluster;
        switch (sub)
        {
            case "MEMBERS" when args.Count == 2:
                session.Reply.Bulk(Encoding.UTF8.GetBytes(string.Join(',', cluster.Members)));
                return;
            case "CLUSTER-ID" when args.Count == 2:
                session.Reply.Bulk(Encoding.UTF8.GetBytes(cluster.ClusterId.ToString(CultureInfo.InvariantCulture)));
                return;
            case "ADD-NODE" when args.Count == 4:
                if (!TryId(session, args, out ulong addId))
                {
                    return;
                }

                string address = Encoding.UTF8.GetString(args[3]);
                if (ClusterMember.TryParse($"{addId}={address}", out ClusterMember? member) is { } error)
                {
                    session.Reply.Error("ERR " + error);
                    return;
                }

                session.ReplyWhenDone(cluster.Coordinator.AddNodeAsync(member!));
                return;
            case "REMOVE-NODE" when args.Count == 3:
                if (TryId(session, args, out ulong removeId))
                {
                    session.ReplyWhenDone(cluster.Coordinator.RemoveNodeAsync(removeId));
                }

                return;
            case "TRANSFER-LEADER" when args.Count == 3:
                if (TryId(session, args, out ulong toId))
                {
                    session.ReplyWhenDone(cluster.Coordinator.TransferLeaderAsync(toId));
                }

                return;
            default:
                session.Reply.Error($"ERR unknown subcommand or wrong number of arguments for 'LATTICE {sub}'. Try MEMBERS, ADD-NODE id host:port[@peerport], REMOVE-NODE id, TRANSFER-LEADER id.");
                return;
        }
    }

    private static bool TryId(ClientSession session, CommandArgs args, out ulong id)
    {
        if (ulong.TryParse(Encoding.UTF8.GetString(args[2]), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }

        session.Reply.Error("ERR the node id must be a number of 1 or more");
        return false;
    }
}
