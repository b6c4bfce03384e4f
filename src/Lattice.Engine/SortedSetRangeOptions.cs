using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The options of ZRANGE and its older forms: [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. The
/// older commands fix the kind and direction, so those keywords are syntax errors there, as in Redis.
/// </summary>
internal readonly struct SortedSetRangeOptions
{
    /// <summary>LIMIT's count when none is given; Redis takes "LIMIT o -1" as no limit too.</summary>
    public const long NoLimit = -1;

    public SortedSetRangeKind Kind { get; init; }

    public bool Reverse { get; init; }

    public bool WithScores { get; init; }

    public long Offset { get; init; }

    public long Limit { get; init; }

    /// <summary>
    /// Parses options from <paramref name="first"/>; <paramref name="fixedKind"/>/<paramref name="fixedReverse"/> are
    /// null when the command lets the client choose. On failure replies the error and returns false.
    /// </summary>
    public static bool TryParse(
        CommandContext context, CommandArgs args, int first, SortedSetRangeKind? fixedKind, bool? fixedReverse, out SortedSetRangeOptions options)
    {
        options = default;
        SortedSetRangeKind? kind = fixedKind;
        bool? reverse = fixedReverse;
        bool withScores = false;
        long offset = 0;
        long limit = NoLimit;
        for (int i = first; i < args.Count; i++)
        {
            if (args.Is(i, "WITHSCORES"u8))
            {
                withScores = true;
            }
            else if (args.Is(i, "LIMIT"u8) && args.Count - i - 1 >= 2)
            {
                if (!ArgParser.TryParseInt64(args[i + 1], out offset) || !ArgParser.TryParseInt64(args[i + 2], out limit))
                {
                    context.Reply.Error(Errors.NotInteger);
                    return false;
                }

                i += 2;
            }
            else if (reverse is null && args.Is(i, "REV"u8))
            {
                reverse = true;
            }
            else if (kind is null && args.Is(i, "BYSCORE"u8))
            {
                kind = SortedSetRangeKind.Score;
            }
            else if (kind is null && args.Is(i, "BYLEX"u8))
            {
                kind = SortedSetRangeKind.Lex;
            }
            else
            {
                context.Reply.Error(Errors.Syntax);
                return false;
            }
        }

        options = new SortedSetRangeOptions
        {
            Kind = kind ?? SortedSetRangeKind.Rank, Reverse = reverse ?? false, WithScores = withScores, Offset = offset, Limit = limit,
        };
        return options.Validate(context);
    }

    private bool Validate(CommandContext context)
    {
        if (Limit != NoLimit && Kind == SortedSetRangeKind.Rank)
        {
            context.Reply.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"u8);
            return false;
        }

        if (WithScores && Kind == SortedSetRangeKind.Lex)
        {
            context.Reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"u8);
            return false;
        }

        return true;
    }
}
