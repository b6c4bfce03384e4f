using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>COMMAND, COMMAND COUNT/LIST/INFO/DOCS: what clients such as redis-cli use to learn the command set.</summary>
internal static class CommandCommand
{
    /// <summary>What COMMAND DOCS lists under COMMAND; the dispatch is in Run.</summary>
    private static readonly SubcommandDoc[] SubcommandDocs =
    [
        new("command|count", "Returns the number of commands.", ""),
        new("command|list", "Returns the names of the commands.", ""),
        new("command|info", "Returns information about commands.", "[command-name...]"),
        new("command|docs", "Returns documentary information about commands.", "[command-name...]"),
    ];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "command", -1, CommandFlags.None, Run, "Returns detailed information about commands.", "", "server",
            subcommands: SubcommandDocs);

    private static readonly Subcommands Help = new("COMMAND", SubcommandDocs);

    private static void Run(ClientSession session, CommandArgs args)
    {
        List<CommandSpec> all = Visible(session.Server);
        ReplyWriter reply = session.Reply;
        if (Help.TryHelp(reply, args))
        {
            return;
        }

        if (args.Count == 1)
        {
            reply.ArrayHeader(all.Count);
            foreach (CommandSpec spec in all)
            {
                WriteInfo(reply, spec);
            }
        }
        else if (args.Is(1, "COUNT"u8) && args.Count == 2)
        {
            reply.Integer(all.Count);
        }
        else if (args.Is(1, "LIST"u8) && args.Count == 2)
        {
            reply.ArrayHeader(all.Count);
            foreach (CommandSpec spec in all)
            {
                reply.Bulk(spec.Name);
            }
        }
        else if (args.Is(1, "INFO"u8))
        {
            if (args.Count == 2)
            {
                reply.ArrayHeader(all.Count);
                all.ForEach(spec => WriteInfo(reply, spec));
                return;
            }

            reply.ArrayHeader(args.Count - 2);
            for (int i = 2; i < args.Count; i++)
            {
                CommandSpec? spec = Find(session.Server, args[i]);
                if (spec is null)
                {
                    reply.NullArray();
                }
                else
                {
                    WriteInfo(reply, spec);
                }
            }
        }
        else if (args.Is(1, "DOCS"u8))
        {
            var chosen = new List<CommandSpec>();
            for (int i = 2; i < args.Count; i++)
            {
                if (Find(session.Server, args[i]) is { } spec)
                {
                    chosen.Add(spec);
                }
            }

            List<CommandSpec> docs = args.Count == 2 ? all : chosen;
            reply.MapHeader(docs.Count);
            foreach (CommandSpec spec in docs)
            {
                CommandDocs.Write(reply, spec);
            }
        }
        else
        {
            Help.ReplyError(reply, args);
        }
    }

    private static List<CommandSpec> Visible(ServerState server)
    {
        var all = new List<CommandSpec>();
        foreach (CommandSpec spec in server.Keyspace.Commands.All)
        {
            if ((spec.Flags & CommandFlags.Internal) == 0)
            {
                all.Add(spec);
            }
        }

        all.AddRange(server.Commands.All);
        return all;
    }

    private static CommandSpec? Find(ServerState server, ReadOnlySpan<byte> name)
    {
        CommandSpec? spec = server.Keyspace.Commands.Find(name);
        if (spec is not null && (spec.Flags & CommandFlags.Internal) != 0)
        {
            return null;
        }

        return spec ?? server.Commands.Find(name);
    }

    /// <summary>Redis 7's ten-field command description.</summary>
    private static void WriteInfo(ReplyWriter reply, CommandSpec spec)
    {
        reply.ArrayHeader(10);
        reply.Bulk(spec.Name);
        reply.Integer(spec.Arity);
        var flags = new List<string>();
        if ((spec.Flags & CommandFlags.Write) != 0)
        {
            flags.Add("write");
        }

        if ((spec.Flags & CommandFlags.ReadOnly) != 0)
        {
            flags.Add("readonly");
        }

        if ((spec.Flags & CommandFlags.DenyOom) != 0)
        {
            flags.Add("denyoom");
        }

        if ((spec.Flags & CommandFlags.Admin) != 0)
        {
            flags.Add("admin");
        }

        if ((spec.Flags & CommandFlags.Fast) != 0)
        {
            flags.Add("fast");
        }

        if ((spec.Flags & CommandFlags.NoMulti) != 0)
        {
            flags.Add("no_multi");
        }

        reply.SetHeader(flags.Count);
        flags.ForEach(flag => reply.SimpleString(flag));
        reply.Integer(spec.FirstKey);
        reply.Integer(spec.LastKey);
        reply.Integer(spec.FirstKey == 0 ? 0 : spec.KeyStep);
        reply.SetHeader(1);
        reply.SimpleString("@" + spec.Group.Replace("sorted-set", "sortedset", StringComparison.Ordinal));
        reply.ArrayHeader(0);
        reply.ArrayHeader(0);
        reply.ArrayHeader(0);
    }
}
