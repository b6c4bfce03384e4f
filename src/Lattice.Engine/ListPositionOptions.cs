using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>LPOS's options: RANK (which match to start from, negative from the tail), COUNT and MAXLEN.</summary>
public readonly struct ListPositionOptions
{
    /// <summary>1 = the first match from the head, -1 = the first from the tail; never 0.</summary>
    public long Rank { get; init; }

    /// <summary>True when COUNT was given: the reply is then an array.</summary>
    public bool HasCount { get; init; }

    /// <summary>Matches wanted; 0 = all.</summary>
    public long Count { get; init; }

    /// <summary>Elements compared at most; 0 = the whole list.</summary>
    public long MaxLength { get; init; }

    /// <summary>Parses the options from args[3] on, as Redis does before it looks at the key; false after writing an error.</summary>
    public static bool TryParse(CommandContext context, CommandArgs args, out ListPositionOptions options)
    {
        options = default;
        long rank = 1;
        long count = 0;
        bool hasCount = false;
        long maxLength = 0;
        for (int i = 3; i < args.Count; i += 2)
        {
            bool hasValue = i + 1 < args.Count;
            if (hasValue && args.Is(i, "RANK"u8))
            {
                if (!TryParseRank(context, args[i + 1], out rank))
                {
                    return false;
                }
            }
            else if (hasValue && args.Is(i, "COUNT"u8))
            {
                if (!TryParseNonNegative(context, args[i + 1], HashListErrors.CountNegative, out count))
                {
                    return false;
                }

                hasCount = true;
            }
            else if (hasValue && args.Is(i, "MAXLEN"u8))
            {
                if (!TryParseNonNegative(context, args[i + 1], HashListErrors.MaxLenNegative, out maxLength))
                {
                    return false;
                }
            }
            else
            {
                context.Reply.Error(Errors.Syntax);
                return false;
            }
        }

        options = new ListPositionOptions { Rank = rank, HasCount = hasCount, Count = count, MaxLength = maxLength };
        return true;
    }

    private static bool TryParseRank(CommandContext context, ReadOnlySpan<byte> text, out long rank)
    {
        if (!ArgParser.TryParseInt64(text, out rank))
        {
            context.Reply.Error(Errors.NotInteger);
            return false;
        }

        if (rank == long.MinValue)
        {
            context.Reply.Error(HashListErrors.BeyondSignedRange);
            return false;
        }

        if (rank == 0)
        {
            context.Reply.Error(HashListErrors.RankZero);
            return false;
        }

        return true;
    }

    // Redis answers a non-number and a negative number here with the same option-specific error.
    private static bool TryParseNonNegative(CommandContext context, ReadOnlySpan<byte> text, ReadOnlySpan<byte> error, out long value)
    {
        if (ArgParser.TryParseInt64(text, out value) && value >= 0)
        {
            return true;
        }

        context.Reply.Error(error);
        return false;
    }
}
