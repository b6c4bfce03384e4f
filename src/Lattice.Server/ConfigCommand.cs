using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>CONFIG GET pattern..., CONFIG SET name value..., CONFIG RESETSTAT, CONFIG HELP.</summary>
internal static class ConfigCommand
{
    /// <summary>What COMMAND DOCS lists under CONFIG; the dispatch is in Run.</summary>
    private static readonly SubcommandDoc[] SubcommandDocs =
    [
        new("config|get", "Returns the values of settings.", "parameter..."),
        new("config|set", "Changes settings.", "parameter_value=(parameter value)..."),
        new("config|resetstat", "Resets the server's statistics.", ""),
        new("config|rewrite", "Not supported: edit the file given with --config.", ""),
    ];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "config", -2, CommandFlags.Admin, Run, "Reads or changes the server's settings.", "", "server",
            subcommands: SubcommandDocs);

    private static readonly Subcommands Help = new("CONFIG", SubcommandDocs);

    private static void Run(ClientSession session, CommandArgs args)
    {
        ReplyWriter reply = session.Reply;
        if (Help.TryHelp(reply, args))
        {
            return;
        }

        if (args.Is(1, "GET"u8) && args.Count >= 3)
        {
            var matches = new List<ConfigSetting>();
            foreach (ConfigSetting setting in ServerOptions.Settings)
            {
                for (int i = 2; i < args.Count; i++)
                {
                    if (GlobPattern.IsMatch(args[i], Encoding.UTF8.GetBytes(setting.Name), ignoreCase: true))
                    {
                        matches.Add(setting);
                        break;
                    }
                }
            }

            reply.MapHeader(matches.Count);
            foreach (ConfigSetting setting in matches)
            {
                reply.Bulk(setting.Name);
                reply.Bulk(setting.Read(session.Server.Options));
            }
        }
        else if (args.Is(1, "SET"u8) && args.Count >= 4 && args.Count % 2 == 0)
        {
            Set(session, args);
        }
        else if (args.Is(1, "RESETSTAT"u8) && args.Count == 2)
        {
            session.Server.Stats.Reset();
            reply.Ok();
        }
        else if (args.Is(1, "REWRITE"u8) && args.Count == 2)
        {
            reply.Error("ERR CONFIG REWRITE is not supported: edit the file given with --config");
        }
        else
        {
            Help.ReplyError(reply, args);
        }
    }

    private static void Set(ClientSession session, CommandArgs args)
    {
        // All or nothing, as Redis 7: validate every pair on a copy first.
        ServerOptions options = session.Server.Options;
        ServerOptions trial = options.Copy();
        for (int i = 2; i < args.Count; i += 2)
        {
            string? error = trial.TrySet(Encoding.UTF8.GetString(args[i]).ToLowerInvariant(), Encoding.UTF8.GetString(args[i + 1]), atRuntime: true);
            error ??= trial.Validate();
            if (error is not null)
            {
                session.Reply.Error("ERR " + error);
                return;
            }
        }

        for (int i = 2; i < args.Count; i += 2)
        {
            string? error = options.TrySet(Encoding.UTF8.GetString(args[i]).ToLowerInvariant(), Encoding.UTF8.GetString(args[i + 1]), atRuntime: true);
            Lattice.Common.Invariant.Check(error is null, "a setting that passed on the copy passes on the real options");
        }

        session.Server.Log($"config: set by client {session.Id}");
        session.Reply.Ok();
    }
}
