using System.Buffers;
using Lattice.Common;

namespace Lattice.Resp.Tests;

/// <summary>Replies whose form is the same in RESP2 and RESP3, and the writer's byte accounting.</summary>
public sealed class ReplyWriterTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Status_replies_are_simple_strings(int protocol)
    {
        Assert.Equal("+OK\r\n", Write(protocol, w => w.Ok()));
        Assert.Equal("+QUEUED\r\n", Write(protocol, w => w.Queued()));
        Assert.Equal("+PONG\r\n", Write(protocol, w => w.SimpleString("PONG"u8)));
        Assert.Equal("+\r\n", Write(protocol, w => w.SimpleString(""u8)));
        Assert.Equal("+caf\u00c3\u00a9\r\n", Write(protocol, w => w.SimpleString("caf\u00e9")));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Integers_are_written_in_decimal(int protocol)
    {
        Assert.Equal(":0\r\n", Write(protocol, w => w.Integer(0)));
        Assert.Equal(":-1\r\n", Write(protocol, w => w.Integer(-1)));
        Assert.Equal(":9223372036854775807\r\n", Write(protocol, w => w.Integer(long.MaxValue)));
        Assert.Equal(":-9223372036854775808\r\n", Write(protocol, w => w.Integer(long.MinValue)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Bulk_strings_are_length_prefixed_and_binary_safe(int protocol)
    {
        Assert.Equal("$3\r\nfoo\r\n", Write(protocol, w => w.Bulk("foo"u8)));
        Assert.Equal("$0\r\n\r\n", Write(protocol, w => w.Bulk(ReadOnlySpan<byte>.Empty)));
        Assert.Equal("$5\r\na\r\n\0b\r\n", Write(protocol, w => w.Bulk("a\r\n\0b"u8)));
        Assert.Equal("$2\r\n\u00c3\u00a9\r\n", Write(protocol, w => w.Bulk("\u00e9")));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Bulk_integers_are_decimal_bulk_strings(int protocol)
    {
        Assert.Equal("$1\r\n0\r\n", Write(protocol, w => w.BulkInteger(0)));
        Assert.Equal("$2\r\n42\r\n", Write(protocol, w => w.BulkInteger(42)));
        Assert.Equal("$20\r\n-9223372036854775808\r\n", Write(protocol, w => w.BulkInteger(long.MinValue)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Arrays_are_a_header_and_their_elements(int protocol)
    {
        Assert.Equal("*0\r\n", Write(protocol, w => w.ArrayHeader(0)));
        Assert.Equal(
            "*2\r\n$1\r\na\r\n:1\r\n",
            Write(protocol, w =>
            {
                w.ArrayHeader(2);
                w.Bulk("a"u8);
                w.Integer(1);
            }));
        Assert.Equal("*2147483647\r\n", Write(protocol, w => w.ArrayHeader(int.MaxValue)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Errors_are_written_with_their_code(int protocol)
    {
        Assert.Equal("-ERR syntax error\r\n", Write(protocol, w => w.Error("ERR syntax error")));
        Assert.Equal("-WRONGTYPE Operation\r\n", Write(protocol, w => w.Error("WRONGTYPE Operation"u8)));
    }

    [Theory]
    [InlineData("ERR bad\r\nthing", "-ERR bad  thing\r\n")]
    [InlineData("ERR \n", "-ERR  \r\n")]
    [InlineData("ERR \r", "-ERR  \r\n")]
    [InlineData("\r\n\r\n", "-    \r\n")]
    [InlineData("ERR Protocol error: expected '$', got '\r'", "-ERR Protocol error: expected '$', got ' '\r\n")]
    public void Line_breaks_inside_an_error_become_spaces(string message, string expected)
    {
        Assert.Equal(expected, Write(2, w => w.Error(message)));
        Assert.Equal(expected, Write(3, w => w.Error(Wire.Bytes(message))));
    }

    [Fact]
    public void Sanitising_an_error_leaves_the_callers_bytes_alone()
    {
        byte[] message = Wire.Bytes("ERR a\r\nb");
        byte[] before = [.. message];
        Assert.Equal("-ERR a  b\r\n", Write(2, w => w.Error(message)));
        Assert.Equal(before, message);
    }

    [Fact]
    public void Raw_bytes_are_copied_verbatim()
    {
        Assert.Equal("*1\r\n$1\r\nx\r\n", Write(2, w => w.Raw("*1\r\n$1\r\nx\r\n"u8)));
        Assert.Equal("", Write(2, w => w.Raw([])));
    }

    [Fact]
    public void A_reply_past_the_limit_is_dropped_with_every_later_one_until_a_reset()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ReplyWriter(output) { Limit = 64 };
        writer.Ok();
        writer.Bulk("twelve bytes"u8);
        Assert.False(writer.Overflowed);
        Assert.Equal("+OK\r\n$12\r\ntwelve bytes\r\n", Wire.Text(output.WrittenSpan));

        writer.Bulk("this value would pass the limit"u8);
        Assert.True(writer.Overflowed);
        writer.Integer(1);
        writer.Raw("+x\r\n"u8);
        writer.Error("ERR e");
        writer.ArrayHeader(2);
        Assert.Equal("+OK\r\n$12\r\ntwelve bytes\r\n", Wire.Text(output.WrittenSpan));
        Assert.Equal(output.WrittenCount, writer.WrittenBytes);

        var next = new ArrayBufferWriter<byte>();
        writer.Reset(next);
        Assert.False(writer.Overflowed);
        writer.Ok();
        Assert.Equal("+OK\r\n", Wire.Text(next.WrittenSpan));
    }

    [Fact]
    public void Written_bytes_counts_everything_since_the_last_reset()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ReplyWriter(output);
        Assert.Equal(0, writer.WrittenBytes);

        writer.Ok();
        Assert.Equal(5, writer.WrittenBytes);
        writer.Bulk("hello"u8);
        Assert.Equal(5 + 11, writer.WrittenBytes);
        writer.Integer(-12);
        writer.Error("ERR x\r\ny");
        writer.MapHeader(3);
        writer.Double(1.5);
        writer.Verbatim("txt"u8);
        writer.Raw("_\r\n"u8);
        Assert.Equal(output.WrittenCount, writer.WrittenBytes);

        var next = new ArrayBufferWriter<byte>();
        writer.Reset(next);
        Assert.Equal(0, writer.WrittenBytes);
        writer.Queued();
        Assert.Equal(9, writer.WrittenBytes);
        Assert.Equal("+QUEUED\r\n", Wire.Text(next.WrittenSpan));
        Assert.DoesNotContain((byte)'Q', output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Written_bytes_match_the_output_for_every_reply_kind_in_both_protocols()
    {
        foreach (int protocol in new[] { 2, 3 })
        {
            var output = new ArrayBufferWriter<byte>();
            var writer = new ReplyWriter(output, protocol);
            writer.NullBulk();
            writer.NullArray();
            writer.SetHeader(2);
            writer.PushHeader(3);
            writer.Boolean(true);
            writer.Double(double.NegativeInfinity);
            writer.Double(-1e-7);
            writer.BulkInteger(long.MaxValue);
            writer.SimpleString("x");
            Assert.Equal(output.WrittenCount, writer.WrittenBytes);
        }
    }

    [Fact]
    public void Writing_without_an_output_is_an_invariant_violation()
    {
        var writer = new ReplyWriter();
        Assert.Throws<InvariantViolationException>(writer.Ok);
        Assert.Equal(0, writer.WrittenBytes);
    }

    [Fact]
    public void Writer_defaults_to_resp2()
    {
        var writer = new ReplyWriter(new ArrayBufferWriter<byte>());
        Assert.Equal(2, writer.Protocol);
        Assert.False(writer.IsResp3);
    }

    [Fact]
    public void Replies_append_into_a_writer_that_hands_out_small_segments()
    {
        var output = new ExactSizeWriter();
        var writer = new ReplyWriter(output, protocol: 3);
        writer.ArrayHeader(2);
        writer.Bulk("abc"u8);
        writer.Double(0.5);
        writer.Verbatim("hi"u8);
        Assert.Equal("*2\r\n$3\r\nabc\r\n,0.5\r\n=6\r\ntxt:hi\r\n", Wire.Text(output.Written.ToArray()));
        Assert.Equal(output.Written.Count, writer.WrittenBytes);
    }

    internal static string Write(int protocol, Action<ReplyWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ReplyWriter(output, protocol);
        write(writer);
        Assert.Equal(output.WrittenCount, writer.WrittenBytes);
        return Wire.Text(output.WrittenSpan);
    }

    /// <summary>A writer whose spans are exactly the size asked for, so no reply can rely on slack.</summary>
    private sealed class ExactSizeWriter : IBufferWriter<byte>
    {
        private byte[] _current = [];

        public List<byte> Written { get; } = [];

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _current.Length);
            Written.AddRange(_current.AsSpan(0, count).ToArray());
            _current = [];
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];
    }
}
