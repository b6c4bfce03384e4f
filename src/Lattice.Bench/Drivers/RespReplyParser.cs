using System.Buffers.Text;

namespace Lattice.Bench.Drivers;

/// <summary>
/// Measures one complete RESP2/RESP3 reply in a buffer without copying it: how many bytes it spans (nested
/// aggregates included) and its head. Used by the benchmark drivers on their receive buffer.
/// </summary>
public static class RespReplyParser
{
    private const int MaxDepth = 8;

    /// <summary>Bytes the reply at the start of <paramref name="buffer"/> spans; 0 when incomplete, -1 when malformed.</summary>
    public static int TryParse(ReadOnlySpan<byte> buffer, out RespReply reply) => TryParse(buffer, 0, out reply);

    private static int TryParse(ReadOnlySpan<byte> buffer, int depth, out RespReply reply)
    {
        reply = default;
        if (buffer.Length < 3)
        {
            return 0;
        }

        int lineEnd = buffer.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return 0;
        }

        byte kind = buffer[0];
        int headerLength = lineEnd + 2;
        switch (kind)
        {
            case (byte)'+' or (byte)'-' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                reply = new RespReply(kind, 0, 1);
                return headerLength;
            case (byte)':':
                return ParseNumber(buffer[1..lineEnd], out long integer) ? Done(new RespReply(kind, integer, headerLength), headerLength, out reply) : -1;
            case (byte)'$' or (byte)'!' or (byte)'=':
                if (!ParseNumber(buffer[1..lineEnd], out long length))
                {
                    return -1;
                }

                reply = new RespReply(kind, length, headerLength);
                if (length < 0)
                {
                    return headerLength;
                }

                long total = headerLength + length + 2;
                return total > buffer.Length ? 0 : (int)total;
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                if (depth >= MaxDepth || !ParseNumber(buffer[1..lineEnd], out long count))
                {
                    return -1;
                }

                reply = new RespReply(kind, count, headerLength);
                long elements = kind is (byte)'%' or (byte)'|' ? count * 2 : count;
                int offset = headerLength;
                for (long i = 0; i < elements; i++)
                {
                    int used = TryParse(buffer[offset..], depth + 1, out _);
                    if (used <= 0)
                    {
                        return used;
                    }

                    offset += used;
                }

                return offset;
            default:
                return -1;
        }
    }

    private static int Done(RespReply parsed, int length, out RespReply reply)
    {
        reply = parsed;
        return length;
    }

    private static bool ParseNumber(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out int used) && used == text.Length;
}
