using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The list commands that work at the ends: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP and LLEN. Index and
/// range commands are in <see cref="ListRangeCommands"/>, LPOS in <see cref="ListPositionCommands"/>, LMOVE and
/// RPOPLPUSH in <see cref="ListMoveCommands"/>.
/// </summary>
public static class ListCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags grows = CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast;
        const CommandFlags shrinks = CommandFlags.Write | CommandFlags.Fast;
        Add(table, "lpush", -3, grows, LPush, "Prepends one or more elements to a list, creating it when absent.", "key element...");
        Add(table, "rpush", -3, grows, RPush, "Appends one or more elements to a list, creating it when absent.", "key element...");
        Add(table, "lpushx", -3, grows, LPushX, "Prepends one or more elements to a list only when the list exists.", "key element...");
        Add(table, "rpushx", -3, grows, RPushX, "Appends one or more elements to a list only when the list exists.", "key element...");
        Add(table, "lpop", -2, shrinks, LPop, "Returns and removes the first elements of a list; deletes the list when it empties.",
            "key [count:integer]");
        Add(table, "rpop", -2, shrinks, RPop, "Returns and removes the last elements of a list; deletes the list when it empties.",
            "key [count:integer]");
        Add(table, "llen", 2, CommandFlags.ReadOnly | CommandFlags.Fast, LLen, "Returns the length of a list.", "key");
        ListRangeCommands.Register(table);
        ListPositionCommands.Register(table);
        ListMoveCommands.Register(table);
    }

    internal static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax, int lastKey = 1) =>
        CommandRegistration.Add(table, "list", name, arity, flags, handler, summary, syntax, lastKey: lastKey);

    private static void LPush(CommandContext context, CommandArgs args) => PushAll(context, args, front: true, onlyExisting: false);

    private static void RPush(CommandContext context, CommandArgs args) => PushAll(context, args, front: false, onlyExisting: false);

    private static void LPushX(CommandContext context, CommandArgs args) => PushAll(context, args, front: true, onlyExisting: true);

    private static void RPushX(CommandContext context, CommandArgs args) => PushAll(context, args, front: false, onlyExisting: true);

    private static void PushAll(CommandContext context, CommandArgs args, bool front, bool onlyExisting)
    {
        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            if (onlyExisting)
            {
                context.Reply.Integer(0);
                return;
            }

            list = new ListValue();
            context.Database.Set(args[1], list);
        }
        else if (!list.HasRoomFor(args.Count - 2))
        {
            context.Reply.Error(Errors.ListFull);
            return;
        }

        for (int i = 2; i < args.Count; i++)
        {
            list.Push(args[i], front);
        }

        context.Reply.Integer(list.Count);
    }

    private static void LPop(CommandContext context, CommandArgs args) => PopGeneric(context, args, front: true, "lpop");

    private static void RPop(CommandContext context, CommandArgs args) => PopGeneric(context, args, front: false, "rpop");

    private static void PopGeneric(CommandContext context, CommandArgs args, bool front, string name)
    {
        if (args.Count > 3)
        {
            context.Reply.Error(Errors.WrongArity(name));
            return;
        }

        // Redis 7: the count is checked first; any parse failure reads "must be positive".
        bool hasCount = args.Count == 3;
        long count = 0;
        if (hasCount && (!ArgParser.TryParseInt64(args[2], out count) || count < 0))
        {
            context.Reply.Error(Errors.OutOfRangePositive);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            if (hasCount)
            {
                context.Reply.NullArray();
            }
            else
            {
                context.Reply.NullBulk();
            }

            return;
        }

        if (!hasCount)
        {
            context.Reply.Bulk(list.End(front));
            list.RemoveEnd(front);
        }
        else
        {
            int popped = (int)Math.Min(count, list.Count);
            context.Reply.ArrayHeader(popped);
            for (int i = 0; i < popped; i++)
            {
                context.Reply.Bulk(list.End(front));
                list.RemoveEnd(front);
            }
        }

        CollectionCommands.DeleteIfEmpty(context, args[1], list);
    }

    private static void LLen(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out ListValue? list))
        {
            context.Reply.Integer(list?.Count ?? 0);
        }
    }
}
