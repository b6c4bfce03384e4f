using System.Buffers;
using System.Buffers.Text;
using Lattice.Common;

namespace Lattice.Resp;

/// <summary>Writes arguments as a RESP multibulk request (the form log entries and peers carry).</summary>
public static class RequestEncoder
{
    public static int MeasureBytes(CommandArgs args)
    {
        int total = HeaderBytes(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            total += HeaderBytes(args[i].Length) + args[i].Length + 2;
        }

        return total;
    }

    public static void Write(IBufferWriter<byte> output, CommandArgs args)
    {
        Span<byte> span = output.GetSpan(MeasureBytes(args));
        int at = WriteHeader(span, (byte)'*', args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            ReadOnlySpan<byte> arg = args[i];
            at += WriteHeader(span[at..], (byte)'$', arg.Length);
            arg.CopyTo(span[at..]);
            at += arg.Length;
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
        }

        output.Advance(at);
    }

    private static int HeaderBytes(int value) => 3 + DigitCount(value);

    private static int DigitCount(int value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    private static int WriteHeader(Span<byte> span, byte type, int value)
    {
        span[0] = type;
        bool ok = Utf8Formatter.TryFormat(value, span[1..], out int written);
        Invariant.Check(ok, "header fits");
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        return written + 3;
    }
}
