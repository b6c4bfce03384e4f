using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The sorted set commands: lookups here; ZADD/ZINCRBY in SortedSetAddCommands, ranges in
/// SortedSetRangeCommands, removals by range and pops in SortedSetRemoveCommands.
/// </summary>
public static class SortedSetCommands
{
    private const string Group = "sorted-set";

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags FastRead = CommandFlags.ReadOnly | CommandFlags.Fast;
        Add(table, "zrem", -3, CommandFlags.Write | CommandFlags.Fast, ZRem, "Removes members from a sorted set.", "key member...");
        Add(table, "zscore", 3, FastRead, ZScore, "Returns the score of a member.", "key member");
        Add(table, "zmscore", -3, FastRead, ZMScore, "Returns the scores of members.", "key member...");
        Add(table, "zcard", 2, FastRead, ZCard, "Returns the number of members of a sorted set.", "key");
        Add(table, "zrank", -3, FastRead, (c, a) => Rank(c, a, reverse: false),
            "Returns the index of a member in ascending score order.", "key member [WITHSCORE]");
        Add(table, "zrevrank", -3, FastRead, (c, a) => Rank(c, a, reverse: true),
            "Returns the index of a member in descending score order.", "key member [WITHSCORE]");
        Add(table, "zscan", -3, CommandFlags.ReadOnly | CommandFlags.Random, ZScan, "Iterates over members and scores.",
            "key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]");
        SortedSetAddCommands.Register(table);
        SortedSetRangeCommands.Register(table);
        SortedSetRemoveCommands.Register(table);
    }

    internal static void Add(CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax) =>
        CommandRegistration.Add(table, Group, name, arity, flags, handler, summary, syntax);

    /// <summary>Writes a score as a bulk string (ZSCAN's form in both protocols).</summary>
    internal static void WriteScoreAsBulk(ReplyWriter reply, double score)
    {
        Span<byte> text = stackalloc byte[32];
        int length = DoubleFormat.Format(score, text);
        reply.Bulk(text[..length]);
    }

    private static void ZRem(CommandContext context, CommandArgs args) =>
        CollectionCommands.RemoveAll<SortedSetValue>(context, args, static (set, member) => set.Remove(member));

    private static void ZScore(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            return;
        }

        if (set is not null && set.TryGetScore(args[2], out double score))
        {
            context.Reply.Double(score);
        }
        else
        {
            context.Reply.NullBulk();
        }
    }

    private static void ZMScore(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            return;
        }

        context.Reply.ArrayHeader(args.Count - 2);
        for (int i = 2; i < args.Count; i++)
        {
            if (set is not null && set.TryGetScore(args[i], out double score))
            {
                context.Reply.Double(score);
            }
            else
            {
                context.Reply.NullBulk();
            }
        }
    }

    private static void ZCard(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            context.Reply.Integer(set?.Count ?? 0);
        }
    }

    private static void Rank(CommandContext context, CommandArgs args, bool reverse)
    {
        if (args.Count > 4)
        {
            context.Reply.Error(Errors.WrongArity(reverse ? "zrevrank" : "zrank"));
            return;
        }

        bool withScore = args.Count == 4;
        if (withScore && !args.Is(3, "WITHSCORE"u8))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        if (!CollectionCommands.TryRead(context, args[1], out SortedSetValue? set))
        {
            return;
        }

        int rank = set?.RankOf(args[2]) ?? -1;
        if (rank < 0)
        {
            if (withScore)
            {
                context.Reply.NullArray();
            }
            else
            {
                context.Reply.NullBulk();
            }

            return;
        }

        rank = reverse ? set!.Count - 1 - rank : rank;
        if (!withScore)
        {
            context.Reply.Integer(rank);
            return;
        }

        set!.TryGetScore(args[2], out double score);
        context.Reply.ArrayHeader(2);
        context.Reply.Integer(rank);
        context.Reply.Double(score);
    }

    private static void ZScan(CommandContext context, CommandArgs args) =>
        SetCommands.Scan<SortedSetValue, double>(context, args, static set => set.Scores, repliesPerMember: 2, static (reply, scores, slot) =>
        {
            reply.Bulk(scores.KeyAt(slot));
            WriteScoreAsBulk(reply, scores.ValueAt(slot));
        });
}
