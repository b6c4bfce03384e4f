using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX, ZPOPMIN and ZPOPMAX.</summary>
internal static class SortedSetRemoveCommands
{
    public static void Register(CommandTable table)
    {
        const CommandFlags Write = CommandFlags.Write;
        SortedSetCommands.Add(table, "zremrangebyrank", 4, Write, ZRemRangeByRank, "Removes members in a range of indexes.",
            "key start:integer stop:integer");
        SortedSetCommands.Add(table, "zremrangebyscore", 4, Write, ZRemRangeByScore, "Removes members in a range of scores.",
            "key min:double max:double");
        SortedSetCommands.Add(table, "zremrangebylex", 4, Write, ZRemRangeByLex, "Removes members in a range of member bytes.", "key min max");
        SortedSetCommands.Add(table, "zpopmin", -2, Write | CommandFlags.Fast, (c, a) => Pop(c, a, highest: false),
            "Removes and returns the members with the lowest scores.", "key [count:integer]");
        SortedSetCommands.Add(table, "zpopmax", -2, Write | CommandFlags.Fast, (c, a) => Pop(c, a, highest: true),
            "Removes and returns the members with the highest scores.", "key [count:integer]");
    }

    private static void ZRemRangeByRank(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long start) || !ArgParser.TryParseInt64(args[3], out long end))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (CollectionCommands.TryReadForWrite(context, args[1], out SortedSetValue? set))
        {
            RemoveWindow(context, args[1], set, set is null ? SortedSetWindow.Empty : SortedSetWindow.FromIndexes(start, end, set.Count, false));
        }
    }

    private static void ZRemRangeByScore(CommandContext context, CommandArgs args)
    {
        if (!SortedSetScoreRange.TryParse(args[2], args[3], out SortedSetScoreRange range))
        {
            context.Reply.Error(Errors.MinMaxNotFloat);
            return;
        }

        if (CollectionCommands.TryReadForWrite(context, args[1], out SortedSetValue? set))
        {
            int first = 0, last = -1;
            bool any = set is not null && set.TryGetScoreSpan(range, out first, out last);
            RemoveWindow(context, args[1], set, any ? new SortedSetWindow(first, last) : SortedSetWindow.Empty);
        }
    }

    private static void ZRemRangeByLex(CommandContext context, CommandArgs args)
    {
        if (!SortedSetLexRange.TryParse(args[2], args[3], out SortedSetLexRange range))
        {
            context.Reply.Error(Errors.MinMaxNotStringRange);
            return;
        }

        if (CollectionCommands.TryReadForWrite(context, args[1], out SortedSetValue? set))
        {
            int first = 0, last = -1;
            bool any = set is not null && set.TryGetLexSpan(range, false, out first, out last);
            RemoveWindow(context, args[1], set, any ? new SortedSetWindow(first, last) : SortedSetWindow.Empty);
        }
    }

    private static void RemoveWindow(CommandContext context, ReadOnlySpan<byte> key, SortedSetValue? set, SortedSetWindow window)
    {
        if (set is null || window.Count == 0)
        {
            context.Reply.Integer(0);
            return;
        }

        int removed = set.RemoveIndexRange(window.First, window.Last);
        CollectionCommands.DeleteIfEmpty(context, key, set);
        context.Reply.Integer(removed);
    }

    private static void Pop(CommandContext context, CommandArgs args, bool highest)
    {
        if (args.Count > 3)
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        bool counted = args.Count == 3;
        long count = 1;
        if (counted && (!ArgParser.TryParseInt64(args[2], out count) || count < 0))
        {
            context.Reply.Error(Errors.OutOfRangePositive);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out SortedSetValue? set))
        {
            return;
        }

        if (set is null || count == 0)
        {
            context.Reply.ArrayHeader(0);
            return;
        }

        int taken = (int)Math.Min(count, set.Count);
        SortedSetWindow window = highest ? new SortedSetWindow(set.Count - taken, set.Count - 1) : new SortedSetWindow(0, taken - 1);
        // With a count, RESP3 gets [member, score] pairs; without, one flat pair in both protocols.
        if (counted)
        {
            window.Write(context.Reply, set, reverse: highest, withScores: true);
        }
        else
        {
            WriteFlat(context.Reply, set.NodeAt(window.First));
        }

        set.RemoveIndexRange(window.First, window.Last);
        CollectionCommands.DeleteIfEmpty(context, args[1], set);
    }

    private static void WriteFlat(ReplyWriter reply, SkipListNode node)
    {
        reply.ArrayHeader(2);
        reply.Bulk(node.Member);
        reply.Double(node.Score);
    }
}
