namespace Lattice.Engine;

/// <summary>Redis's glob matching (KEYS, SCAN MATCH): '*', '?', '[abc]', '[^a]', '[a-z]', '\x'.</summary>
public static class GlobPattern
{
    private const int NestingMax = 1000;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> subject, bool ignoreCase = false)
    {
        int budget = 100_000 + ((pattern.Length + 1) * (subject.Length + 1));
        return Match(pattern, subject, ignoreCase, 0, ref budget);
    }

    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> subject, bool ignoreCase, int depth, ref int budget)
    {
        // Deep star nesting and huge backtracking are cut off, as Redis does, instead of hanging.
        if (--budget < 0 || depth > NestingMax)
        {
            return false;
        }

        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case (byte)'*':
                    while (pattern.Length > 1 && pattern[1] == (byte)'*')
                    {
                        pattern = pattern[1..];
                    }

                    if (pattern.Length == 1)
                    {
                        return true;
                    }

                    for (int i = 0; i <= subject.Length; i++)
                    {
                        if (Match(pattern[1..], subject[i..], ignoreCase, depth + 1, ref budget))
                        {
                            return true;
                        }

                        if (budget < 0)
                        {
                            return false;
                        }
                    }

                    return false;
                case (byte)'?':
                    if (subject.IsEmpty)
                    {
                        return false;
                    }

                    subject = subject[1..];
                    pattern = pattern[1..];
                    break;
                case (byte)'[':
                    if (subject.IsEmpty || !MatchClass(ref pattern, subject[0], ignoreCase))
                    {
                        return false;
                    }

                    subject = subject[1..];
                    break;
                default:
                    if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
                    {
                        pattern = pattern[1..];
                    }

                    if (subject.IsEmpty || !Same(pattern[0], subject[0], ignoreCase))
                    {
                        return false;
                    }

                    subject = subject[1..];
                    pattern = pattern[1..];
                    break;
            }
        }

        return subject.IsEmpty;
    }

    /// <summary>Matches one byte against a "[...]" class and moves the pattern past it.</summary>
    private static bool MatchClass(ref ReadOnlySpan<byte> pattern, byte c, bool ignoreCase)
    {
        pattern = pattern[1..];
        bool negate = pattern.Length > 0 && pattern[0] == (byte)'^';
        if (negate)
        {
            pattern = pattern[1..];
        }

        bool matched = false;
        while (pattern.Length > 0 && pattern[0] != (byte)']')
        {
            if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
            {
                pattern = pattern[1..];
                matched |= Same(pattern[0], c, ignoreCase);
                pattern = pattern[1..];
            }
            else if (pattern.Length >= 3 && pattern[1] == (byte)'-' && pattern[2] != (byte)']')
            {
                byte start = pattern[0];
                byte end = pattern[2];
                if (start > end)
                {
                    (start, end) = (end, start);
                }

                byte probe = ignoreCase ? Lower(c) : c;
                matched |= ignoreCase
                    ? probe >= Lower(start) && probe <= Lower(end)
                    : c >= start && c <= end;
                pattern = pattern[3..];
            }
            else
            {
                matched |= Same(pattern[0], c, ignoreCase);
                pattern = pattern[1..];
            }
        }

        if (pattern.Length > 0)
        {
            pattern = pattern[1..];
        }

        return negate ? !matched : matched;
    }

    private static bool Same(byte a, byte b, bool ignoreCase) => ignoreCase ? Lower(a) == Lower(b) : a == b;

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
}
