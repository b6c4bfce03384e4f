using System.Globalization;
using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>CLIENT ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO, NO-EVICT, NO-TOUCH.</summary>
internal static class ClientCommand
{
    public const string InvalidNameError = "ERR Client names cannot contain spaces, newlines or special characters.";

    /// <summary>What COMMAND DOCS lists under CLIENT; the dispatch is in Run.</summary>
    private static readonly SubcommandDoc[] SubcommandDocs =
    [
        new("client|id", "Returns the connection's unique ID.", ""),
        new("client|setname", "Sets the connection's name.", "connection-name"),
        new("client|getname", "Returns the connection's name.", ""),
        new("client|list", "Lists open connections.", "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id:integer...]"),
        new("client|info", "Returns information about the connection.", ""),
        new("client|kill", "Terminates open connections.",
            "filter=<ip:port | new-format=<[ID client-id:integer] | [TYPE normal_master_slave_pubsub=<NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port]"
            + " | [SKIPME yes/no] | [MAXAGE maxage:integer]>...>"),
        new("client|setinfo", "Sets information about the connection's client library.", "attr=<LIB-NAME libname | LIB-VER libver>"),
        new("client|no-evict", "Sets the connection's no-evict mode.", "enabled=<ON | OFF>"),
        new("client|no-touch", "Sets whether the connection's commands change keys' last access time.", "enabled=<ON | OFF>"),
    ];

    public static void Register(ServerState server) =>
        ServerCommands.Add(server, "client", -2, CommandFlags.Admin, Run, "Manages client connections.", "", "connection",
            subcommands: SubcommandDocs);

    public static bool IsValidName(string name)
    {
        foreach (char c in name)
        {
            if (c < '!' || c > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static readonly Subcommands Help = new("CLIENT", SubcommandDocs);

    private static void Run(ClientSession session, CommandArgs args)
    {
        ReplyWriter reply = session.Reply;
        if (Help.TryHelp(reply, args))
        {
            return;
        }

        if (args.Is(1, "ID"u8) && args.Count == 2)
        {
            reply.Integer(session.Id);
        }
        else if (args.Is(1, "SETNAME"u8) && args.Count == 3)
        {
            string name = Encoding.UTF8.GetString(args[2]);
            if (!IsValidName(name))
            {
                reply.Error(InvalidNameError);
                return;
            }

            session.Name = name.Length == 0 ? null : name;
            reply.Ok();
        }
        else if (args.Is(1, "GETNAME"u8) && args.Count == 2)
        {
            if (session.Name is null)
            {
                reply.NullBulk();
            }
            else
            {
                reply.Bulk(session.Name);
            }
        }
        else if (args.Is(1, "LIST"u8))
        {
            List(session, args);
        }
        else if (args.Is(1, "INFO"u8) && args.Count == 2)
        {
            reply.Verbatim(Encoding.UTF8.GetBytes(Describe(session, session.Server.Time.GetUtcNow()) + "\n"));
        }
        else if (args.Is(1, "KILL"u8) && args.Count >= 3)
        {
            Kill(session, args);
        }
        else if (args.Is(1, "SETINFO"u8) && args.Count == 4)
        {
            SetInfo(session, args);
        }
        else if ((args.Is(1, "NO-EVICT"u8) || args.Is(1, "NO-TOUCH"u8)) && args.Count == 3 && (args.Is(2, "ON"u8) || args.Is(2, "OFF"u8)))
        {
            reply.Ok();
        }
        else
        {
            Help.ReplyError(reply, args);
        }
    }

    private static void SetInfo(ClientSession session, CommandArgs args)
    {
        string value = Encoding.UTF8.GetString(args[3]);
        if (!IsValidName(value) && value.Length > 0)
        {
            session.Reply.Error("ERR lib-name and lib-ver cannot contain spaces, newlines or special characters.");
            return;
        }

        if (args.Is(2, "LIB-NAME"u8))
        {
            session.LibraryName = value;
        }
        else if (args.Is(2, "LIB-VER"u8))
        {
            session.LibraryVersion = value;
        }
        else
        {
            session.Reply.Error($"ERR Unrecognized option '{Encoding.UTF8.GetString(args[2])}'");
            return;
        }

        session.Reply.Ok();
    }

    private static void List(ClientSession session, CommandArgs args)
    {
        HashSet<long>? ids = null;
        for (int i = 2; i < args.Count; i++)
        {
            if (args.Is(i, "TYPE"u8) && i + 1 < args.Count)
            {
                i++;
                if (!args.Is(i, "NORMAL"u8) && !args.Is(i, "MASTER"u8) && !args.Is(i, "REPLICA"u8) && !args.Is(i, "PUBSUB"u8))
                {
                    session.Reply.Error($"ERR Unknown client type '{Encoding.UTF8.GetString(args[i])}'");
                    return;
                }

                if (!args.Is(i, "NORMAL"u8))
                {
                    ids = [];
                }
            }
            else if (args.Is(i, "ID"u8) && i + 1 < args.Count)
            {
                ids ??= [];
                for (i++; i < args.Count; i++)
                {
                    if (!ArgParser.TryParseInt64(args[i], out long id) || id <= 0)
                    {
                        session.Reply.Error("ERR Invalid client ID");
                        return;
                    }

                    ids.Add(id);
                }
            }
            else
            {
                session.Reply.Error("ERR syntax error");
                return;
            }
        }

        var text = new StringBuilder();
        DateTimeOffset now = session.Server.Time.GetUtcNow();
        foreach (ClientSession client in session.Server.Clients.Snapshot())
        {
            if (ids is null || ids.Contains(client.Id))
            {
                text.Append(Describe(client, now)).Append('\n');
            }
        }

        session.Reply.Verbatim(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void Kill(ClientSession session, CommandArgs args)
    {
        List<ClientSession> clients = session.Server.Clients.Snapshot();
        if (args.Count == 3)
        {
            // Old form: CLIENT KILL addr:port, answering OK or an error.
            string address = Encoding.UTF8.GetString(args[2]);
            ClientSession? target = clients.Find(c => c.Address == address);
            if (target is null)
            {
                session.Reply.Error("ERR No such client");
                return;
            }

            KillOne(session, target);
            session.Reply.Ok();
            return;
        }

        long? id = null;
        string? addr = null;
        string? laddr = null;
        bool skipMe = true;
        for (int i = 2; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                session.Reply.Error("ERR syntax error");
                return;
            }

            string value = Encoding.UTF8.GetString(args[i + 1]);
            if (args.Is(i, "ID"u8))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) || parsed <= 0)
                {
                    session.Reply.Error("ERR client-id should be greater than 0");
                    return;
                }

                id = parsed;
            }
            else if (args.Is(i, "ADDR"u8))
            {
                addr = value;
            }
            else if (args.Is(i, "LADDR"u8))
            {
                laddr = value;
            }
            else if (args.Is(i, "SKIPME"u8) && (value is "yes" or "no"))
            {
                skipMe = value == "yes";
            }
            else if (args.Is(i, "TYPE"u8) || args.Is(i, "USER"u8) || args.Is(i, "MAXAGE"u8))
            {
                // Every client is a normal client of the default user; these filters match all or none.
                continue;
            }
            else
            {
                session.Reply.Error("ERR syntax error");
                return;
            }
        }

        int killed = 0;
        foreach (ClientSession client in clients)
        {
            bool matches = (id is null || client.Id == id) && (addr is null || client.Address == addr) && (laddr is null || client.LocalAddress == laddr);
            if (matches && !(skipMe && client == session))
            {
                KillOne(session, client);
                killed++;
            }
        }

        session.Reply.Integer(killed);
    }

    private static void KillOne(ClientSession session, ClientSession target)
    {
        if (target == session)
        {
            session.CloseAfterReply();
        }
        else
        {
            target.Kill();
        }
    }

    private static string Describe(ClientSession client, DateTimeOffset now)
    {
        long age = (long)(now - client.CreatedAt).TotalSeconds;
        long idle = (long)(now - client.LastActivity).TotalSeconds;
        string flags = client.InTransaction ? "x" : "N";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"id={client.Id} addr={client.Address} laddr={client.LocalAddress} fd=-1 name={client.Name} age={age} idle={idle} flags={flags} db=0 sub=0 psub=0 ssub=0 multi={client.QueuedCount} watch={client.WatchedKeys} qbuf={client.QueryBufferBytes} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={client.LastCommand.ToLowerInvariant()} user=default redir=-1 resp={client.Protocol} lib-name={client.LibraryName} lib-ver={client.LibraryVersion}");
    }
}
