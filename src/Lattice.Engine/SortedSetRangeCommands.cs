using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>ZRANGE (Redis 7's unified form), its older variants, ZCOUNT and ZLEXCOUNT.</summary>
internal static class SortedSetRangeCommands
{
    public static void Register(CommandTable table)
    {
        const CommandFlags Read = CommandFlags.ReadOnly;
        SortedSetCommands.Add(table, "zrange", -4, Read, (c, a) => Range(c, a, null, null),
            "Returns members in a range of indexes, scores or member bytes.",
            "key start stop sortby=[BYSCORE | BYLEX] [REV] [LIMIT offset:integer count:integer] [WITHSCORES]");
        SortedSetCommands.Add(table, "zrangebyscore", -4, Read, (c, a) => Range(c, a, SortedSetRangeKind.Score, false),
            "Returns members in a range of scores.", "key min:double max:double [WITHSCORES] [LIMIT offset:integer count:integer]");
        SortedSetCommands.Add(table, "zrevrangebyscore", -4, Read, (c, a) => Range(c, a, SortedSetRangeKind.Score, true),
            "Returns members in a range of scores, highest first.", "key max:double min:double [WITHSCORES] [LIMIT offset:integer count:integer]");
        SortedSetCommands.Add(table, "zrevrange", -4, Read, (c, a) => Range(c, a, SortedSetRangeKind.Rank, true),
            "Returns members in a range of indexes, highest first.", "key start:integer stop:integer [WITHSCORES]");
        SortedSetCommands.Add(table, "zrangebylex", -4, Read, (c, a) => Range(c, a, SortedSetRangeKind.Lex, false),
            "Returns members in a range of member bytes.", "key min max [LIMIT offset:integer count:integer]");
        SortedSetCommands.Add(table, "zrevrangebylex", -4, Read, (c, a) => Range(c, a, SortedSetRangeKind.Lex, true),
            "Returns members in a range of member bytes, highest first.", "key max min [LIMIT offset:integer count:integer]");
        SortedSetCommands.Add(table, "zcount", 4, Read | CommandFlags.Fast, ZCount, "Counts members with scores in a range.",
            "key min:double max:double");
        SortedSetCommands.Add(table, "zlexcount", 4, Read | CommandFlags.Fast, ZLexCount, "Counts members in a range of member bytes.",
            "key min max");
    }

    private static void Range(CommandContext context, CommandArgs args, SortedSetRangeKind? kind, bool? reverse)
    {
        if (!SortedSetRangeOptions.TryParse(context, args, 4, kind, reverse, out SortedSetRangeOptions options))
        {
            return;
        }

        // Reverse score and lex ranges are written max first.
        bool swap = options.Reverse && options.Kind != SortedSetRangeKind.Rank;
        ReadOnlySpan<byte> min = swap ? args[3] : args[2];
        ReadOnlySpan<byte> max = swap ? args[2] : args[3];
        switch (options.Kind)
        {
            case SortedSetRangeKind.Rank:
                RangeByIndex(context, args[1], min, max, options);
                break;
            case SortedSetRangeKind.Score:
                RangeByScore(context, args[1], min, max, options);
                break;
            default:
                RangeByLex(context, args[1], min, max, options);
                break;
        }
    }

    private static void RangeByIndex(
        CommandContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end, in SortedSetRangeOptions options)
    {
        if (!ArgParser.TryParseInt64(start, out long first) || !ArgParser.TryParseInt64(end, out long last))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (TryLookup(context, key, out SortedSetValue? set) && set is not null)
        {
            SortedSetWindow.FromIndexes(first, last, set.Count, options.Reverse).Write(context.Reply, set, options.Reverse, options.WithScores);
        }
    }

    private static void RangeByScore(
        CommandContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, in SortedSetRangeOptions options)
    {
        if (!SortedSetScoreRange.TryParse(min, max, out SortedSetScoreRange range))
        {
            context.Reply.Error(Errors.MinMaxNotFloat);
            return;
        }

        if (TryLookup(context, key, out SortedSetValue? set) && set is not null)
        {
            SortedSetWindow window = set.TryGetScoreSpan(range, out int first, out int last) ? new(first, last) : SortedSetWindow.Empty;
            window.Limit(options.Offset, options.Limit, options.Reverse).Write(context.Reply, set, options.Reverse, options.WithScores);
        }
    }

    private static void RangeByLex(
        CommandContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, in SortedSetRangeOptions options)
    {
        if (!SortedSetLexRange.TryParse(min, max, out SortedSetLexRange range))
        {
            context.Reply.Error(Errors.MinMaxNotStringRange);
            return;
        }

        if (TryLookup(context, key, out SortedSetValue? set) && set is not null)
        {
            SortedSetWindow window = set.TryGetLexSpan(range, options.Reverse, out int first, out int last) ? new(first, last) : SortedSetWindow.Empty;
            window.Limit(options.Offset, options.Limit, options.Reverse).Write(context.Reply, set, options.Reverse, withScores: false);
        }
    }

    /// <summary>Looks the key up for a range read; a missing key gets its empty reply here (set stays null).</summary>
    private static bool TryLookup(CommandContext context, ReadOnlySpan<byte> key, out SortedSetValue? set)
    {
        if (!CollectionCommands.TryRead(context, key, out set))
        {
            return false;
        }

        if (set is null)
        {
            context.Reply.ArrayHeader(0);
        }

        return true;
    }

    private static void ZCount(CommandContext context, CommandArgs args)
    {
        if (!SortedSetScoreRange.TryParse(args[2], args[3], out SortedSetScoreRange range))
        {
            context.Reply.Error(Errors.MinMaxNotFloat);
            return;
        }

        if (CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            context.Reply.Integer(set is not null && set.TryGetScoreSpan(range, out int first, out int last) ? last - first + 1 : 0);
        }
    }

    private static void ZLexCount(CommandContext context, CommandArgs args)
    {
        if (!SortedSetLexRange.TryParse(args[2], args[3], out SortedSetLexRange range))
        {
            context.Reply.Error(Errors.MinMaxNotStringRange);
            return;
        }

        if (CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            context.Reply.Integer(set is not null && set.TryGetLexSpan(range, false, out int first, out int last) ? last - first + 1 : 0);
        }
    }
}
