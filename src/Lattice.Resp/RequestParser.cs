namespace Lattice.Resp;

/// <summary>
/// Reads one client request (a RESP array of bulk strings, or an inline command line) from a contiguous
/// buffer without allocating. On a partial request it reports <see cref="ParseStatus.Incomplete"/> and the
/// caller parses again from the same start once more bytes arrive.
/// </summary>
public static class RequestParser
{
    /// <summary>
    /// Parses one request starting at the beginning of <paramref name="buffer"/>. Inline commands with quotes
    /// are unescaped in place, which is why the buffer is writable.
    /// </summary>
    public static ParseStatus TryParse(
        Span<byte> buffer,
        RespLimits limits,
        ArgumentList args,
        out int consumed,
        out string? error)
    {
        args.Clear();
        consumed = 0;
        error = null;
        if (buffer.IsEmpty)
        {
            return ParseStatus.Incomplete;
        }

        return buffer[0] == (byte)'*'
            ? ParseMultiBulk(buffer, limits, args, out consumed, out error)
            : InlineParser.TryParse(buffer, limits, args, out consumed, out error);
    }

    /// <summary>Parses one RESP multibulk request (the only form stored in log entries).</summary>
    public static ParseStatus ParseMultiBulk(
        ReadOnlySpan<byte> buffer,
        RespLimits limits,
        ArgumentList args,
        out int consumed,
        out string? error)
    {
        args.Clear();
        consumed = 0;
        error = null;
        if (buffer.IsEmpty)
        {
            return ParseStatus.Incomplete;
        }

        if (buffer[0] != (byte)'*')
        {
            error = "Protocol error: expected '*'";
            return ParseStatus.Error;
        }

        int lineEnd = buffer.IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            if (buffer.Length > limits.MaxInlineBytes)
            {
                error = "Protocol error: too big mbulk count string";
                return ParseStatus.Error;
            }

            return ParseStatus.Incomplete;
        }

        if (!TryParseNumber(buffer[1..lineEnd], out long count) || count > limits.MaxMultiBulkLength)
        {
            error = "Protocol error: invalid multibulk length";
            return ParseStatus.Error;
        }

        if (count <= 0)
        {
            // As Redis: "*0" and "*-1" are empty requests, skipped without a reply.
            consumed = lineEnd + 1;
            return ParseStatus.Complete;
        }

        int position = lineEnd + 1;
        for (long i = 0; i < count; i++)
        {
            if (position >= buffer.Length)
            {
                return ParseStatus.Incomplete;
            }

            if (buffer[position] != (byte)'$')
            {
                error = $"Protocol error: expected '$', got '{(char)buffer[position]}'";
                return ParseStatus.Error;
            }

            int bulkLineEnd = buffer[position..].IndexOf((byte)'\n');
            if (bulkLineEnd < 0)
            {
                if (buffer.Length - position > 32)
                {
                    error = "Protocol error: too big bulk count string";
                    return ParseStatus.Error;
                }

                return ParseStatus.Incomplete;
            }

            bulkLineEnd += position;
            if (!TryParseNumber(buffer[(position + 1)..bulkLineEnd], out long length) || length < 0 || length > limits.MaxBulkBytes)
            {
                error = "Protocol error: invalid bulk length";
                return ParseStatus.Error;
            }

            int dataStart = bulkLineEnd + 1;
            if (buffer.Length - dataStart < length + 2)
            {
                return ParseStatus.Incomplete;
            }

            int dataEnd = dataStart + (int)length;
            if (buffer[dataEnd] != (byte)'\r' || buffer[dataEnd + 1] != (byte)'\n')
            {
                error = "Protocol error: bulk string is not terminated by CRLF";
                return ParseStatus.Error;
            }

            args.Add(dataStart, (int)length);
            position = dataEnd + 2;
        }

        consumed = position;
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Reads the number between a type byte and CR LF as Redis's string2ll does: an optional '-', then
    /// digits with no leading zero ("0" alone is allowed, "-0", "+1" and "01" are not), within a long.
    /// </summary>
    private static bool TryParseNumber(ReadOnlySpan<byte> line, out long value)
    {
        value = 0;
        if (line.Length < 2 || line[^1] != (byte)'\r')
        {
            return false;
        }

        line = line[..^1];
        bool negative = line[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? line[1..] : line;
        if (digits.IsEmpty || digits.Length > 19 || (digits[0] == (byte)'0' && (negative || digits.Length > 1)))
        {
            return false;
        }

        ulong magnitude = 0;
        foreach (byte c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            magnitude = (magnitude * 10) + (ulong)(c - '0');
        }

        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }
}
