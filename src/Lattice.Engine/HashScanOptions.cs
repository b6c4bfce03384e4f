using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>HSCAN's options after the cursor: [MATCH pattern] [COUNT n] [NOVALUES], in any order.</summary>
public readonly ref struct HashScanOptions
{
    private const int CountMax = 1_000_000;

    public int Count { get; init; }

    public ReadOnlySpan<byte> Pattern { get; init; }

    public bool HasPattern { get; init; }

    /// <summary>Reply with fields only (Redis 7.4's NOVALUES).</summary>
    public bool NoValues { get; init; }

    /// <summary>The cursor as Redis reads it (an unsigned decimal); on failure writes the error and returns false.</summary>
    public static bool TryParseCursor(CommandContext context, ReadOnlySpan<byte> text, out long cursor)
    {
        cursor = 0;
        // Digits only: .NET's parser would also take the surrounding spaces Redis refuses.
        if (text.IsEmpty || text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 ||
            !ulong.TryParse(text, out ulong value))
        {
            context.Reply.Error(Errors.InvalidCursor);
            return false;
        }

        // Any cursor past the last slot simply ends the scan, as a huge Redis cursor does.
        cursor = (long)Math.Min(value, long.MaxValue);
        return true;
    }

    /// <summary>Parses the options from <paramref name="first"/>; on failure writes the error reply and returns false.</summary>
    public static bool TryParse(CommandContext context, CommandArgs args, int first, out HashScanOptions options)
    {
        options = default;
        int count = 10;
        ReadOnlySpan<byte> pattern = default;
        bool hasPattern = false;
        bool noValues = false;
        for (int i = first; i < args.Count;)
        {
            bool hasValue = i + 1 < args.Count;
            if (hasValue && args.Is(i, "COUNT"u8))
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
                i += 2;
            }
            else if (hasValue && args.Is(i, "MATCH"u8))
            {
                pattern = args[i + 1];
                hasPattern = !(pattern.Length == 1 && pattern[0] == (byte)'*');
                i += 2;
            }
            else if (args.Is(i, "NOVALUES"u8))
            {
                noValues = true;
                i++;
            }
            else
            {
                context.Reply.Error(Errors.Syntax);
                return false;
            }
        }

        options = new HashScanOptions { Count = count, Pattern = pattern, HasPattern = hasPattern, NoValues = noValues };
        return true;
    }

    public bool Matches(ReadOnlySpan<byte> field) => !HasPattern || GlobPattern.IsMatch(Pattern, field);
}
