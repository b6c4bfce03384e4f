using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using Lattice.Common;

namespace Lattice.Resp;

/// <summary>
/// Writes RESP2 or RESP3 replies into a buffer writer. One per connection, re-targeted with
/// <see cref="Reset"/>; nothing here allocates. Where RESP3 has a richer type (map, set, double, null,
/// boolean), the RESP2 form Redis uses is written instead when <see cref="Protocol"/> is 2.
/// </summary>
public sealed class ReplyWriter
{
    private const int MaxHeaderBytes = 24;
    private IBufferWriter<byte>? _output;

    public ReplyWriter(IBufferWriter<byte>? output = null, int protocol = 2)
    {
        _output = output;
        Protocol = protocol;
    }

    /// <summary>2 or 3, as chosen by HELLO.</summary>
    public int Protocol { get; set; }

    public bool IsResp3 => Protocol == 3;

    /// <summary>Bytes written since the last <see cref="Reset"/> (used to bound output per client).</summary>
    public long WrittenBytes { get; private set; }

    /// <summary>
    /// Most bytes to write between resets: a reply that would pass it is dropped, with every later one, and
    /// <see cref="Overflowed"/> is set (the connection is then closed, so a cut-off reply is never read as whole).
    /// </summary>
    public long Limit { get; set; } = long.MaxValue;

    /// <summary>A reply was dropped for passing <see cref="Limit"/>.</summary>
    public bool Overflowed { get; private set; }

    public void Reset(IBufferWriter<byte> output)
    {
        _output = output;
        WrittenBytes = 0;
        Overflowed = false;
    }

    public void Ok() => Raw("+OK\r\n"u8);

    public void Queued() => Raw("+QUEUED\r\n"u8);

    public void SimpleString(ReadOnlySpan<byte> value)
    {
        if (Overflows(value.Length + 3))
        {
            return;
        }

        Span<byte> span = Take(value.Length + 3);
        span[0] = (byte)'+';
        value.CopyTo(span[1..]);
        span[value.Length + 1] = (byte)'\r';
        span[value.Length + 2] = (byte)'\n';
        Commit(value.Length + 3);
    }

    public void SimpleString(string value) => SimpleString(System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>An error reply; <paramref name="message"/> starts with its code, e.g. "ERR syntax error".</summary>
    public void Error(ReadOnlySpan<byte> message)
    {
        if (Overflows(message.Length + 3))
        {
            return;
        }

        Span<byte> span = Take(message.Length + 3);
        span[0] = (byte)'-';
        message.CopyTo(span[1..]);
        // CR or LF inside an error would break framing; Redis replaces them with spaces.
        for (int i = 1; i <= message.Length; i++)
        {
            if (span[i] is (byte)'\r' or (byte)'\n')
            {
                span[i] = (byte)' ';
            }
        }

        span[message.Length + 1] = (byte)'\r';
        span[message.Length + 2] = (byte)'\n';
        Commit(message.Length + 3);
    }

    public void Error(string message) => Error(System.Text.Encoding.UTF8.GetBytes(message));

    public void Integer(long value) => Prefixed((byte)':', value);

    public void Bulk(ReadOnlySpan<byte> value)
    {
        if (Overflows(MaxHeaderBytes + value.Length + 2L))
        {
            return;
        }

        Prefixed((byte)'$', value.Length);
        Span<byte> span = Take(value.Length + 2);
        value.CopyTo(span);
        span[value.Length] = (byte)'\r';
        span[value.Length + 1] = (byte)'\n';
        Commit(value.Length + 2);
    }

    public void Bulk(string value) => Bulk(System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A bulk string holding the decimal form of <paramref name="value"/>.</summary>
    public void BulkInteger(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        bool ok = Utf8Formatter.TryFormat(value, digits, out int written);
        Invariant.Check(ok, "a long always fits 20 bytes");
        Bulk(digits[..written]);
    }

    /// <summary>The null bulk string: "$-1" in RESP2, "_" in RESP3.</summary>
    public void NullBulk() => Raw(IsResp3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The null array: "*-1" in RESP2, "_" in RESP3.</summary>
    public void NullArray() => Raw(IsResp3 ? "_\r\n"u8 : "*-1\r\n"u8);

    public void ArrayHeader(int count) => Prefixed((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> pairs: "%n" in RESP3, a flat array of 2n in RESP2.</summary>
    public void MapHeader(int pairs)
    {
        if (IsResp3)
        {
            Prefixed((byte)'%', pairs);
        }
        else
        {
            Prefixed((byte)'*', pairs * 2L);
        }
    }

    /// <summary>A set: "~n" in RESP3, an array in RESP2.</summary>
    public void SetHeader(int count) => Prefixed(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>A push message header (RESP3 only; RESP2 clients get an array).</summary>
    public void PushHeader(int count) => Prefixed(IsResp3 ? (byte)'>' : (byte)'*', count);

    public void Boolean(bool value)
    {
        if (IsResp3)
        {
            Raw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        }
        else
        {
            Raw(value ? ":1\r\n"u8 : ":0\r\n"u8);
        }
    }

    /// <summary>A double: ",v" in RESP3, a bulk string in RESP2, formatted as Redis does (shortest round trip).</summary>
    public void Double(double value)
    {
        Span<byte> text = stackalloc byte[32];
        int length = DoubleFormat.Format(value, text);
        if (IsResp3)
        {
            if (Overflows(length + 3))
            {
                return;
            }

            Span<byte> span = Take(length + 3);
            span[0] = (byte)',';
            text[..length].CopyTo(span[1..]);
            span[length + 1] = (byte)'\r';
            span[length + 2] = (byte)'\n';
            Commit(length + 3);
        }
        else
        {
            Bulk(text[..length]);
        }
    }

    /// <summary>Verbatim text ("=n\r\ntxt:..." in RESP3), a bulk string in RESP2.</summary>
    public void Verbatim(ReadOnlySpan<byte> text)
    {
        if (!IsResp3)
        {
            Bulk(text);
            return;
        }

        if (Overflows(MaxHeaderBytes + 4L + text.Length + 2))
        {
            return;
        }

        Prefixed((byte)'=', text.Length + 4);
        Raw("txt:"u8);
        Span<byte> span = Take(text.Length + 2);
        text.CopyTo(span);
        span[text.Length] = (byte)'\r';
        span[text.Length + 1] = (byte)'\n';
        Commit(text.Length + 2);
    }

    /// <summary>Bytes that are already valid RESP.</summary>
    public void Raw(ReadOnlySpan<byte> resp)
    {
        if (Overflows(resp.Length))
        {
            return;
        }

        Span<byte> span = Take(resp.Length);
        resp.CopyTo(span);
        Commit(resp.Length);
    }

    private void Prefixed(byte type, long value)
    {
        if (Overflows(MaxHeaderBytes))
        {
            return;
        }

        Span<byte> span = Take(MaxHeaderBytes);
        span[0] = type;
        bool ok = Utf8Formatter.TryFormat(value, span[1..], out int written);
        Invariant.Check(ok, "a long always fits the header");
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        Commit(written + 3);
    }

    /// <summary>True (and from now on for every reply until <see cref="Reset"/>) when <paramref name="size"/> more bytes would pass <see cref="Limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Overflows(long size)
    {
        if (!Overflowed && WrittenBytes + size <= Limit)
        {
            return false;
        }

        Overflowed = true;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Take(int size)
    {
        Invariant.Check(_output is not null, "reply writer has no output");
        return _output.GetSpan(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Commit(int count)
    {
        _output!.Advance(count);
        WrittenBytes += count;
    }
}
