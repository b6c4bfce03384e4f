using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>The list commands that work by index or by value inside a list: LRANGE, LINDEX, LSET, LTRIM, LREM and LINSERT.</summary>
public static class ListRangeCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ListCommands.Add(table, "lrange", 4, CommandFlags.ReadOnly, LRange, "Returns a range of elements from a list.",
            "key start:integer stop:integer");
        ListCommands.Add(table, "lindex", 3, CommandFlags.ReadOnly, LIndex, "Returns an element from a list by its index.", "key index:integer");
        ListCommands.Add(table, "lset", 4, CommandFlags.Write | CommandFlags.DenyOom, LSet, "Sets the value of an element in a list by its index.",
            "key index:integer element");
        ListCommands.Add(table, "ltrim", 4, CommandFlags.Write, LTrim, "Removes elements from both ends of a list; deletes the list when all go.",
            "key start:integer stop:integer");
        ListCommands.Add(table, "lrem", 4, CommandFlags.Write, LRem, "Removes elements equal to a value from a list.", "key count:integer element");
        ListCommands.Add(table, "linsert", 5, CommandFlags.Write | CommandFlags.DenyOom, LInsert, "Inserts an element before or after another element in a list.",
            "key where=<BEFORE | AFTER> pivot element");
    }

    private static void LRange(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long start) || !ArgParser.TryParseInt64(args[3], out long end))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!CollectionCommands.TryRead(context, args[1], out ListValue? list))
        {
            return;
        }

        int length = list?.Count ?? 0;
        ListIndexRange.Resolve(start, end, length, out int first, out int count);
        context.Reply.ArrayHeader(count);
        if (count > 0)
        {
            var writer = new BulkWriter(context.Reply);
            list!.Visit(first, count, forward: true, ref writer);
        }
    }

    private static void LIndex(CommandContext context, CommandArgs args)
    {
        // Redis looks the key up before it reads the index.
        if (!CollectionCommands.TryRead(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            context.Reply.NullBulk();
            return;
        }

        if (!ArgParser.TryParseInt64(args[2], out long index))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        int at = ListIndexRange.ResolveOne(index, list.Count);
        if (at < 0)
        {
            context.Reply.NullBulk();
        }
        else
        {
            context.Reply.Bulk(list[at]);
        }
    }

    private static void LSet(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            context.Reply.Error(Errors.NoSuchKey);
            return;
        }

        if (!ArgParser.TryParseInt64(args[2], out long index))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        int at = ListIndexRange.ResolveOne(index, list.Count);
        if (at < 0)
        {
            context.Reply.Error(Errors.IndexOutOfRange);
            return;
        }

        list.Replace(at, args[3]);
        context.Reply.Ok();
    }

    private static void LTrim(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long start) || !ArgParser.TryParseInt64(args[3], out long end))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is not null)
        {
            ListIndexRange.Resolve(start, end, list.Count, out int first, out int count);
            list.Keep(first, count);
            CollectionCommands.DeleteIfEmpty(context, args[1], list);
        }

        context.Reply.Ok();
    }

    private static void LRem(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long count))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            context.Reply.Integer(0);
            return;
        }

        // A negative count removes from the tail; long.MinValue has no positive twin, and no list is that long anyway.
        long limit = count == long.MinValue ? long.MaxValue : Math.Abs(count);
        int removed = list.RemoveMatching(args[3], limit, fromTail: count < 0);
        CollectionCommands.DeleteIfEmpty(context, args[1], list);
        context.Reply.Integer(removed);
    }

    private static void LInsert(CommandContext context, CommandArgs args)
    {
        bool after;
        if (args.Is(2, "AFTER"u8))
        {
            after = true;
        }
        else if (args.Is(2, "BEFORE"u8))
        {
            after = false;
        }
        else
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out ListValue? list))
        {
            return;
        }

        int pivot = list?.IndexOf(args[3]) ?? -1;
        if (list is null || pivot < 0)
        {
            context.Reply.Integer(list is null ? 0 : -1);
            return;
        }

        if (!list.HasRoomFor(1))
        {
            context.Reply.Error(Errors.ListFull);
            return;
        }

        list.Insert(after ? pivot + 1 : pivot, args[4]);
        context.Reply.Integer(list.Count);
    }

    private readonly struct BulkWriter(ReplyWriter reply) : IListVisitor
    {
        public bool Visit(int index, ReadOnlySpan<byte> element)
        {
            reply.Bulk(element);
            return true;
        }
    }
}
