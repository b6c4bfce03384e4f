using Lattice.Resp;

namespace Lattice.SocketFloor;

/// <summary>Parses every complete request in a read and writes +OK for each: the work both floor servers share.</summary>
internal static class FloorReplies
{
    /// <summary>
    /// Bytes of replies written to <paramref name="output"/>; <paramref name="consumed"/> is where the requests
    /// answered end (a request cut by the read's end waits for the next read).
    /// </summary>
    public static int Answer(Span<byte> input, ArgumentList args, Span<byte> output, out int consumed)
    {
        int at = 0;
        int written = 0;
        while (at < input.Length && written + 5 <= output.Length)
        {
            if (RequestParser.TryParse(input[at..], RespLimits.Default, args, out int length, out _) != ParseStatus.Complete)
            {
                break;
            }

            at += length;
            "+OK\r\n"u8.CopyTo(output[written..]);
            written += 5;
        }

        consumed = at;
        return written;
    }
}
