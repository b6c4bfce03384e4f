using System.Buffers.Text;

namespace Lattice.Server.Tests.InProcess;

/// <summary>Finds where one complete RESP2/RESP3 reply ends, so tests can compare exact reply bytes.</summary>
internal static class RespReplyFraming
{
    /// <summary>Length of the first complete reply in <paramref name="data"/>, or -1 when more bytes are needed.</summary>
    public static int Measure(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return -1;
        }

        int lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return -1;
        }

        int header = lineEnd + 2;
        switch (data[0])
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)'#' or (byte)',' or (byte)'(':
                return header;
            case (byte)'$' or (byte)'=' or (byte)'!':
                long length = ParseLength(data[1..lineEnd]);
                if (length < 0)
                {
                    return header;
                }

                return data.Length >= header + length + 2 ? (int)(header + length + 2) : -1;
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                long count = ParseLength(data[1..lineEnd]);
                if (data[0] is (byte)'%' or (byte)'|')
                {
                    count *= 2;
                }

                int at = header;
                for (long i = 0; i < count; i++)
                {
                    int element = Measure(data[at..]);
                    if (element < 0)
                    {
                        return -1;
                    }

                    at += element;
                }

                return at;
            default:
                throw new InvalidDataException($"not a RESP reply type: '{(char)data[0]}'");
        }
    }

    private static long ParseLength(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out long value, out int consumed) && consumed == digits.Length
            ? value
            : throw new InvalidDataException("bad RESP length");
}
