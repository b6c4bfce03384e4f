using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>The cursor and options shared by SCAN, HSCAN, SSCAN and ZSCAN.</summary>
public readonly ref struct ScanArguments
{
    private const int CountMax = 1_000_000;

    public long Cursor { get; init; }

    public int Count { get; init; }

    public ReadOnlySpan<byte> Pattern { get; init; }

    public bool HasPattern { get; init; }

    /// <summary>SCAN's TYPE filter, or null.</summary>
    public ValueKind? Type { get; init; }

    /// <summary>
    /// Parses "cursor [MATCH pattern] [COUNT n] [TYPE t]" from <paramref name="cursorAt"/>; on failure writes the
    /// error reply and returns false. TYPE is accepted only when <paramref name="allowType"/>.
    /// </summary>
    public static bool TryParse(CommandContext context, CommandArgs args, int cursorAt, bool allowType, out ScanArguments result)
    {
        result = default;
        if (!ulong.TryParse(args[cursorAt], out ulong cursor) || cursor > long.MaxValue)
        {
            context.Reply.Error(Errors.InvalidCursor);
            return false;
        }

        int count = 10;
        ReadOnlySpan<byte> pattern = default;
        bool hasPattern = false;
        ValueKind? type = null;
        for (int i = cursorAt + 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                context.Reply.Error(Errors.Syntax);
                return false;
            }

            if (args.Is(i, "COUNT"u8))
            {
                if (!ArgParser.TryParseInt32(args[i + 1], out count))
                {
                    context.Reply.Error(Errors.NotInteger);
                    return false;
                }

                if (count < 1)
                {
                    context.Reply.Error(Errors.Syntax);
                    return false;
                }

                count = Math.Min(count, CountMax);
            }
            else if (args.Is(i, "MATCH"u8))
            {
                pattern = args[i + 1];
                hasPattern = !(pattern.Length == 1 && pattern[0] == (byte)'*');
            }
            else if (allowType && args.Is(i, "TYPE"u8))
            {
                type = ParseType(args[i + 1]);
                if (type is null)
                {
                    // Redis answers an unknown type with an empty scan rather than an error.
                    type = (ValueKind)255;
                }
            }
            else
            {
                context.Reply.Error(Errors.Syntax);
                return false;
            }
        }

        result = new ScanArguments { Cursor = (long)cursor, Count = count, Pattern = pattern, HasPattern = hasPattern, Type = type };
        return true;
    }

    public static ValueKind? ParseType(ReadOnlySpan<byte> name)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(name, "STRING"u8))
        {
            return ValueKind.String;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(name, "LIST"u8))
        {
            return ValueKind.List;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(name, "HASH"u8))
        {
            return ValueKind.Hash;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(name, "SET"u8))
        {
            return ValueKind.Set;
        }

        return System.Text.Ascii.EqualsIgnoreCase(name, "ZSET"u8) ? ValueKind.SortedSet : null;
    }

    public bool Matches(ReadOnlySpan<byte> candidate) => !HasPattern || GlobPattern.IsMatch(Pattern, candidate);
}
