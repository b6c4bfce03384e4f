using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>ZADD (with NX, XX, GT, LT, CH, INCR) and ZINCRBY, which is ZADD INCR with one pair.</summary>
internal static class SortedSetAddCommands
{
    private enum Outcome
    {
        Added,
        Updated,
        Unchanged,
        Skipped,
        NotANumber,
    }

    public static ReadOnlySpan<byte> ScoreIsNaN => "ERR resulting score is not a number (NaN)"u8;

    public static void Register(CommandTable table)
    {
        SortedSetCommands.Add(table, "zadd", -4, CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast, ZAdd,
            "Adds members with scores, or updates their scores.",
            "key condition=[NX | XX] comparison=[GT | LT] change=[CH] increment=[INCR] score_member=(score:double member)...");
        SortedSetCommands.Add(table, "zincrby", 4, CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast, ZIncrBy,
            "Adds an increment to a member's score.", "key increment:integer member");
    }

    private static void ZAdd(CommandContext context, CommandArgs args)
    {
        if (!SortedSetAddOptions.TryParse(context, args, out SortedSetAddOptions options))
        {
            return;
        }

        for (int i = options.FirstPair; i < args.Count; i += 2)
        {
            if (!ArgParser.TryParseDouble(args[i], out _))
            {
                context.Reply.Error(Errors.NotFloat);
                return;
            }
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out SortedSetValue? set))
        {
            return;
        }

        if (set is null)
        {
            if (options.OnlyExisting)
            {
                WriteResult(context.Reply, options, 0, 0, false, 0);
                return;
            }

            set = new SortedSetValue();
            context.Database.Set(args[1], set);
        }

        int added = 0;
        int updated = 0;
        bool processed = false;
        double latest = 0;
        for (int i = options.FirstPair; i < args.Count; i += 2)
        {
            ArgParser.TryParseDouble(args[i], out double score);
            Outcome outcome = Apply(set, args[i + 1], score, options, out double result);
            if (outcome == Outcome.NotANumber)
            {
                context.Reply.Error(ScoreIsNaN);
                return;
            }

            added += outcome == Outcome.Added ? 1 : 0;
            updated += outcome == Outcome.Updated ? 1 : 0;
            processed |= outcome != Outcome.Skipped;
            latest = outcome != Outcome.Skipped ? result : latest;
        }

        WriteResult(context.Reply, options, added, updated, processed, latest);
    }

    private static void ZIncrBy(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseDouble(args[2], out double increment))
        {
            context.Reply.Error(Errors.NotFloat);
            return;
        }

        SortedSetValue? set = CollectionCommands.OpenOrCreate<SortedSetValue>(context, args[1]);
        if (set is null)
        {
            return;
        }

        var options = new SortedSetAddOptions { Increment = true };
        if (Apply(set, args[3], increment, options, out double result) == Outcome.NotANumber)
        {
            context.Reply.Error(ScoreIsNaN);
            return;
        }

        context.Reply.Double(result);
    }

    /// <summary>Adds or re-scores one member under the options; <paramref name="result"/> is its score afterwards.</summary>
    private static Outcome Apply(SortedSetValue set, ReadOnlySpan<byte> member, double score, in SortedSetAddOptions options, out double result)
    {
        result = 0;
        if (!set.TryGetScore(member, out double current))
        {
            if (options.OnlyExisting)
            {
                return Outcome.Skipped;
            }

            result = WithoutNegativeZero(score);
            set.Set(member, result);
            return Outcome.Added;
        }

        if (options.OnlyNew)
        {
            return Outcome.Skipped;
        }

        if (options.Increment)
        {
            score += current;
            if (double.IsNaN(score))
            {
                return Outcome.NotANumber;
            }
        }

        if ((options.OnlyLess && score >= current) || (options.OnlyGreater && score <= current))
        {
            return Outcome.Skipped;
        }

        result = WithoutNegativeZero(score);
        if (result == current)
        {
            return Outcome.Unchanged;
        }

        set.Set(member, result);
        return Outcome.Updated;
    }

    private static void WriteResult(ReplyWriter reply, in SortedSetAddOptions options, int added, int updated, bool processed, double latest)
    {
        if (!options.Increment)
        {
            reply.Integer(options.CountChanged ? added + updated : added);
        }
        else if (processed)
        {
            reply.Double(latest);
        }
        else
        {
            reply.NullBulk();
        }
    }

    // Redis shows a zero score as "0" whatever its sign; storing +0 keeps replies and order alike.
    private static double WithoutNegativeZero(double score) => score == 0 ? 0 : score;
}
