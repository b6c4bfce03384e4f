namespace Lattice.Resp;

/// <summary>
/// Inline commands ("SET k v\r\n", as typed into telnet): split on blanks, with Redis's double- and
/// single-quote rules. Quoted arguments are unescaped in place; the unescaped form is never longer.
/// </summary>
internal static class InlineParser
{
    public static ParseStatus TryParse(
        Span<byte> buffer,
        RespLimits limits,
        ArgumentList args,
        out int consumed,
        out string? error)
    {
        consumed = 0;
        error = null;
        int newline = buffer.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (buffer.Length > limits.MaxInlineBytes)
            {
                error = "Protocol error: too big inline request";
                return ParseStatus.Error;
            }

            return ParseStatus.Incomplete;
        }

        if (newline > limits.MaxInlineBytes)
        {
            error = "Protocol error: too big inline request";
            return ParseStatus.Error;
        }

        int lineEnd = newline > 0 && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        consumed = newline + 1;
        if (!Split(buffer[..lineEnd], args))
        {
            error = "Protocol error: unbalanced quotes in request";
            return ParseStatus.Error;
        }

        return ParseStatus.Complete;
    }

    private static bool Split(Span<byte> line, ArgumentList args)
    {
        int i = 0;
        while (true)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                return true;
            }

            int start = i;
            int write = i;
            byte quote = 0;
            while (i < line.Length)
            {
                byte c = line[i];
                if (quote == 0)
                {
                    if (IsBlank(c))
                    {
                        break;
                    }

                    if (c is (byte)'"' or (byte)'\'')
                    {
                        quote = c;
                        i++;
                        continue;
                    }

                    line[write++] = c;
                    i++;
                    continue;
                }

                if (c == quote)
                {
                    // A closing quote must be followed by a blank or the end, as Redis requires.
                    if (i + 1 < line.Length && !IsBlank(line[i + 1]))
                    {
                        return false;
                    }

                    quote = 0;
                    i++;
                    continue;
                }

                if (c == (byte)'\\' && i + 1 < line.Length)
                {
                    i += Unescape(line, i, quote, out byte value);
                    line[write++] = value;
                    continue;
                }

                line[write++] = c;
                i++;
            }

            if (quote != 0)
            {
                return false;
            }

            args.Add(start, write - start);
        }
    }

    /// <summary>Decodes the escape at <paramref name="at"/>; returns how many input bytes it used.</summary>
    private static int Unescape(Span<byte> line, int at, byte quote, out byte value)
    {
        byte next = line[at + 1];
        if (quote == (byte)'\'')
        {
            // Single quotes only escape the quote itself.
            value = next == (byte)'\'' ? next : (byte)'\\';
            return next == (byte)'\'' ? 2 : 1;
        }

        if (next == (byte)'x' && at + 3 < line.Length && IsHex(line[at + 2]) && IsHex(line[at + 3]))
        {
            value = (byte)((HexValue(line[at + 2]) << 4) | HexValue(line[at + 3]));
            return 4;
        }

        value = next switch
        {
            (byte)'n' => (byte)'\n',
            (byte)'r' => (byte)'\r',
            (byte)'t' => (byte)'\t',
            (byte)'b' => (byte)'\b',
            (byte)'a' => (byte)'\a',
            _ => next,
        };
        return 2;
    }

    private static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0;

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
