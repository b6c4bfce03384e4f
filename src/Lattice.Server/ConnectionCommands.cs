using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>PING, ECHO, HELLO, SELECT, QUIT, RESET, AUTH.</summary>
internal static class ConnectionCommands
{
    /// <summary>The Redis version whose commands and replies Lattice follows (clients use it to pick features).</summary>
    public const string CompatibleRedisVersion = "7.2.0";

    private const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";

    public static void Register(ServerState server)
    {
        ServerCommands.Add(server, "ping", -1, CommandFlags.Fast, (s, a) => TransactionConnectionCommands.Ping(s.Reply, a), "Returns the server's liveliness response.", "[message]", "connection");
        ServerCommands.Add(server, "echo", 2, CommandFlags.Fast, (s, a) => s.Reply.Bulk(a[1]), "Returns the given string.", "message", "connection");
        ServerCommands.Add(server, "hello", -1, CommandFlags.Fast, Hello, "Handshakes with the server (protocol 2 or 3).",
            "arguments=[protover:integer username_password=[AUTH username password] [SETNAME clientname]]", "connection");
        ServerCommands.Add(server, "select", 2, CommandFlags.Fast, (s, a) => TransactionConnectionCommands.Select(s.Reply, a), "Changes the selected database (only 0 exists).",
            "index:integer", "connection");
        ServerCommands.Add(server, "quit", -1, CommandFlags.NoMulti | CommandFlags.Fast, Quit, "Closes the connection.", "", "connection");
        ServerCommands.Add(server, "reset", 1, CommandFlags.NoMulti | CommandFlags.Fast, Reset, "Resets the connection.", "", "connection");
        ServerCommands.Add(server, "auth", -2, CommandFlags.Fast, Auth, "Authenticates the connection.", "[username] password", "connection");
    }

    private static void Hello(ClientSession session, CommandArgs args)
    {
        int at = 1;
        if (args.Count > 1)
        {
            if (!ArgParser.TryParseInt64(args[1], out long version))
            {
                session.Reply.Error("ERR Protocol version is not an integer or out of range");
                return;
            }

            if (version is not (2 or 3))
            {
                session.Reply.Error("NOPROTO unsupported protocol version");
                return;
            }

            at = 2;
            string? name = null;
            for (; at < args.Count; at++)
            {
                if (args.Is(at, "AUTH"u8) && at + 2 < args.Count)
                {
                    // Like Redis's default user without a password: it accepts any password, other users do not exist.
                    if (!args.Is(at + 1, "DEFAULT"u8))
                    {
                        session.Reply.Error(WrongPass);
                        return;
                    }

                    at += 2;
                    continue;
                }

                if (args.Is(at, "SETNAME"u8) && at + 1 < args.Count)
                {
                    name = System.Text.Encoding.UTF8.GetString(args[++at]);
                    if (!ClientCommand.IsValidName(name))
                    {
                        session.Reply.Error(ClientCommand.InvalidNameError);
                        return;
                    }

                    continue;
                }

                session.Reply.Error($"ERR Syntax error in HELLO option '{System.Text.Encoding.UTF8.GetString(args[at])}'");
                return;
            }

            session.Protocol = (int)version;
            if (name is not null)
            {
                session.Name = name.Length == 0 ? null : name;
            }
        }

        ReplyWriter reply = session.Reply;
        reply.MapHeader(7);
        reply.Bulk("server"u8);
        reply.Bulk("redis"u8);
        reply.Bulk("version"u8);
        reply.Bulk(CompatibleRedisVersion);
        reply.Bulk("proto"u8);
        reply.Integer(session.Protocol);
        reply.Bulk("id"u8);
        reply.Integer(session.Id);
        reply.Bulk("mode"u8);
        reply.Bulk("standalone"u8);
        reply.Bulk("role"u8);
        reply.Bulk("master"u8);
        reply.Bulk("modules"u8);
        reply.ArrayHeader(0);
    }

    private static void Quit(ClientSession session, CommandArgs args)
    {
        session.Reply.Ok();
        session.CloseAfterReply();
    }

    private static void Reset(ClientSession session, CommandArgs args)
    {
        session.EndTransaction();
        session.Protocol = 2;
        session.Name = null;
        session.AllowStaleReads = false;
        session.Reply.SimpleString("RESET"u8);
    }

    private static void Auth(ClientSession session, CommandArgs args)
    {
        if (args.Count == 2)
        {
            session.Reply.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        }
        else if (args.Count == 3 && args.Is(1, "DEFAULT"u8))
        {
            session.Reply.Ok();
        }
        else if (args.Count == 3)
        {
            session.Reply.Error(WrongPass);
        }
        else
        {
            session.Reply.Error("ERR syntax error");
        }
    }
}
