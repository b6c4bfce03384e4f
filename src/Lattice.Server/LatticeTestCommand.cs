using System.Globalization;
using System.Text;
using Lattice.Resp;
using Lattice.Server.Cluster;

namespace Lattice.Server;

/// <summary>
/// LATTICE TEST CLOCK-OFFSET ms | ISOLATE id [id ...] | HEAL [id ...]: fault injection for the chaos harness, on
/// nodes started with --test-hooks. Each acts on the node it is sent to only (never replicated or forwarded): the
/// harness isolates a link by sending ISOLATE to both of its ends.
/// </summary>
internal static class LatticeTestCommand
{
    public const string DisabledError = "ERR test hooks are disabled (start the node with --test-hooks)";

    private const string Subcommands = "Try CLOCK-OFFSET milliseconds, ISOLATE node-id [node-id ...], HEAL [node-id ...].";

    /// <summary>Runs LATTICE TEST ...; <paramref name="args"/> starts with LATTICE TEST.</summary>
    public static void Run(ClientSession session, CommandArgs args)
    {
        ServerState server = session.Server;
        Cluster.ClusterNode cluster = server.Cluster;
        if (server.TestClock is not { } clock)
        {
            session.Reply.Error(DisabledError);
            return;
        }

        string sub = args.Count > 2 ? Encoding.UTF8.GetString(args[2]).ToUpperInvariant() : "";
        switch (sub)
        {
            case "CLOCK-OFFSET" when args.Count == 4:
                SetClockOffset(session, clock, Encoding.UTF8.GetString(args[3]));
                return;
            case "ISOLATE" when args.Count >= 4:
                if (TryIds(session, cluster, args, out List<ulong> isolate))
                {
                    foreach (ulong id in isolate)
                    {
                        cluster.Transport.Faults.Partition(id);
                    }

                    server.Log($"test hook: peer traffic to and from node(s) {string.Join(',', isolate)} is dropped");
                    session.Reply.Ok();
                }

                return;
            case "HEAL":
                if (TryIds(session, cluster, args, out List<ulong> heal))
                {
                    if (heal.Count == 0)
                    {
                        cluster.Transport.Faults.HealAll();
                    }

                    foreach (ulong id in heal)
                    {
                        cluster.Transport.Faults.Heal(id);
                    }

                    server.Log($"test hook: healed {(heal.Count == 0 ? "every isolated link" : $"node(s) {string.Join(',', heal)}")}");
                    session.Reply.Ok();
                }

                return;
            case "":
                session.Reply.Error($"ERR LATTICE TEST needs a subcommand. {Subcommands}");
                return;
            default:
                session.Reply.Error($"ERR unknown subcommand or wrong number of arguments for 'LATTICE TEST {sub}'. {Subcommands}");
                return;
        }
    }

    private static void SetClockOffset(ClientSession session, OffsetTimeProvider clock, string text)
    {
        long limit = (long)OffsetTimeProvider.MaxOffset.TotalMilliseconds;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms) || ms < -limit || ms > limit)
        {
            session.Reply.Error($"ERR the clock offset must be a whole number of milliseconds from -{limit} to {limit}");
            return;
        }

        clock.Offset = TimeSpan.FromMilliseconds(ms);
        session.Server.Log($"test hook: wall clock offset set to {ms} ms");
        session.Reply.Ok();
    }

    /// <summary>The node ids from the fourth argument on; all are checked before any is used.</summary>
    private static bool TryIds(ClientSession session, ClusterNode cluster, CommandArgs args, out List<ulong> ids)
    {
        ids = [];
        for (int i = 3; i < args.Count; i++)
        {
            string text = Encoding.UTF8.GetString(args[i]);
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong id) || id == 0)
            {
                session.Reply.Error($"ERR the node id must be a number of 1 or more, not '{text}'");
                return false;
            }

            if (id == cluster.NodeId)
            {
                session.Reply.Error($"ERR node {id} is this node; name the other nodes to cut it off from them");
                return false;
            }

            ids.Add(id);
        }

        return true;
    }
}
