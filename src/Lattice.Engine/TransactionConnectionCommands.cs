using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// PING, ECHO, SELECT and TIME as a transaction runs them. Outside MULTI the node answers these itself; queued in a
/// transaction they go into its log entry with the other commands, so EXEC's reply holds their answers in queue
/// order, as Redis's does. TIME then answers the entry's time: when EXEC ran, to the millisecond.
/// </summary>
public static class TransactionConnectionCommands
{
    public static void Register(CommandTable table)
    {
        Add(table, "ping", -1, (context, args) => Ping(context.Reply, args));
        Add(table, "echo", 2, (context, args) => context.Reply.Bulk(args[1]));
        Add(table, "select", 2, (context, args) => Select(context.Reply, args));
        Add(table, "time", 1, Time);
    }

    /// <summary>PING's reply, shared with the node's own PING.</summary>
    public static void Ping(ReplyWriter reply, CommandArgs args)
    {
        switch (args.Count)
        {
            case 1:
                reply.Raw("+PONG\r\n"u8);
                break;
            case 2:
                reply.Bulk(args[1]);
                break;
            default:
                reply.Error(Errors.WrongArity("ping"));
                break;
        }
    }

    /// <summary>SELECT's reply, shared with the node's own SELECT: only database 0 exists.</summary>
    public static void Select(ReplyWriter reply, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[1], out long index))
        {
            reply.Error("ERR value is not an integer or out of range");
        }
        else if (index != 0)
        {
            reply.Error("ERR DB index is out of range");
        }
        else
        {
            reply.Ok();
        }
    }

    private static void Time(CommandContext context, CommandArgs args)
    {
        context.Reply.ArrayHeader(2);
        context.Reply.BulkInteger(context.TimeMs / 1000);
        context.Reply.BulkInteger(context.TimeMs % 1000 * 1000);
    }

    // No summary or syntax: COMMAND shows the node's own PING, ECHO, SELECT and TIME, never these forms.
    private static void Add(CommandTable table, string name, int arity, CommandHandler handler) =>
        table.Add(new CommandSpec
        {
            Name = name,
            Arity = arity,
            Flags = CommandFlags.ReadOnly | CommandFlags.Fast | CommandFlags.Internal | CommandFlags.TransactionOnly,
            Handler = handler,
            Group = "connection",
        });
}
