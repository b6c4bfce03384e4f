using System.Runtime;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// MEMORY PURGE: a full compacting collection that returns free memory to the OS, as Redis's MEMORY PURGE asks
/// jemalloc to release dirty pages. Afterwards <c>used_memory</c> counts live data only.
/// </summary>
internal static class MemoryCommand
{
    /// <summary>What COMMAND DOCS lists under MEMORY; the dispatch is in Run.</summary>
    private static readonly SubcommandDoc[] SubcommandDocs =
    [
        new("memory|purge", "Asks the runtime to release unused memory.", ""),
    ];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "memory", -2, CommandFlags.Admin, Run, "Memory introspection (PURGE).", "", "server",
            subcommands: SubcommandDocs);

    private static readonly Subcommands Help = new("MEMORY", SubcommandDocs);

    private static void Run(ClientSession session, CommandArgs args)
    {
        if (Help.TryHelp(session.Reply, args))
        {
            return;
        }

        if (args.Is(1, "PURGE"u8) && args.Count == 2)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            session.Reply.Ok();
            return;
        }

        Help.ReplyError(session.Reply, args);
    }
}
