using System.Buffers;

namespace Lattice.Resp.Tests;

/// <summary>Where RESP3 has a richer type, RESP2 clients get the form Redis sends them instead.</summary>
public sealed class ReplyWriterProtocolTests
{
    [Theory]
    [InlineData(2, "$-1\r\n")]
    [InlineData(3, "_\r\n")]
    public void Null_bulk_depends_on_the_protocol(int protocol, string expected)
    {
        Assert.Equal(expected, ReplyWriterTests.Write(protocol, w => w.NullBulk()));
    }

    [Theory]
    [InlineData(2, "*-1\r\n")]
    [InlineData(3, "_\r\n")]
    public void Null_array_depends_on_the_protocol(int protocol, string expected)
    {
        Assert.Equal(expected, ReplyWriterTests.Write(protocol, w => w.NullArray()));
    }

    [Theory]
    [InlineData(2, "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n")]
    [InlineData(3, "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n")]
    public void Map_is_a_flat_array_of_pairs_in_resp2(int protocol, string expected)
    {
        Assert.Equal(
            expected,
            ReplyWriterTests.Write(protocol, w =>
            {
                w.MapHeader(2);
                w.Bulk("a"u8);
                w.Integer(1);
                w.Bulk("b"u8);
                w.Integer(2);
            }));
    }

    [Theory]
    [InlineData(2, "*0\r\n")]
    [InlineData(3, "%0\r\n")]
    public void Empty_map_depends_on_the_protocol(int protocol, string expected)
    {
        Assert.Equal(expected, ReplyWriterTests.Write(protocol, w => w.MapHeader(0)));
    }

    [Fact]
    public void Largest_map_header_doubles_without_overflow_in_resp2()
    {
        Assert.Equal("*4294967294\r\n", ReplyWriterTests.Write(2, w => w.MapHeader(int.MaxValue)));
        Assert.Equal("%2147483647\r\n", ReplyWriterTests.Write(3, w => w.MapHeader(int.MaxValue)));
    }

    [Theory]
    [InlineData(2, "*3\r\n")]
    [InlineData(3, "~3\r\n")]
    public void Set_header_depends_on_the_protocol(int protocol, string expected)
    {
        Assert.Equal(expected, ReplyWriterTests.Write(protocol, w => w.SetHeader(3)));
    }

    [Theory]
    [InlineData(2, "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n")]
    [InlineData(3, ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n")]
    public void Push_is_an_array_in_resp2(int protocol, string expected)
    {
        Assert.Equal(
            expected,
            ReplyWriterTests.Write(protocol, w =>
            {
                w.PushHeader(3);
                w.Bulk("message"u8);
                w.Bulk("ch"u8);
                w.Bulk("hi"u8);
            }));
    }

    [Theory]
    [InlineData(2, true, ":1\r\n")]
    [InlineData(2, false, ":0\r\n")]
    [InlineData(3, true, "#t\r\n")]
    [InlineData(3, false, "#f\r\n")]
    public void Boolean_is_an_integer_in_resp2(int protocol, bool value, string expected)
    {
        Assert.Equal(expected, ReplyWriterTests.Write(protocol, w => w.Boolean(value)));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "$3\r\ninf\r\n", ",inf\r\n")]
    [InlineData(double.NegativeInfinity, "$4\r\n-inf\r\n", ",-inf\r\n")]
    [InlineData(double.NaN, "$3\r\nnan\r\n", ",nan\r\n")]
    [InlineData(1.5, "$3\r\n1.5\r\n", ",1.5\r\n")]
    [InlineData(3.0, "$1\r\n3\r\n", ",3\r\n")]
    [InlineData(-0.0, "$2\r\n-0\r\n", ",-0\r\n")]
    [InlineData(0.1, "$3\r\n0.1\r\n", ",0.1\r\n")]
    [InlineData(1e20, "$5\r\n1e+20\r\n", ",1e+20\r\n")]
    [InlineData(1e-7, "$4\r\n1e-7\r\n", ",1e-7\r\n")]
    [InlineData(-1.7976931348623157e308, "$24\r\n-1.7976931348623157e+308\r\n", ",-1.7976931348623157e+308\r\n")]
    public void Double_is_a_bulk_string_in_resp2(double value, string resp2, string resp3)
    {
        Assert.Equal(resp2, ReplyWriterTests.Write(2, w => w.Double(value)));
        Assert.Equal(resp3, ReplyWriterTests.Write(3, w => w.Double(value)));
    }

    [Theory]
    [InlineData("hello", "$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n")]
    [InlineData("", "$0\r\n\r\n", "=4\r\ntxt:\r\n")]
    [InlineData("a\r\nb", "$4\r\na\r\nb\r\n", "=8\r\ntxt:a\r\nb\r\n")]
    public void Verbatim_is_a_bulk_string_in_resp2(string text, string resp2, string resp3)
    {
        Assert.Equal(resp2, ReplyWriterTests.Write(2, w => w.Verbatim(Wire.Bytes(text))));
        Assert.Equal(resp3, ReplyWriterTests.Write(3, w => w.Verbatim(Wire.Bytes(text))));
    }

    [Fact]
    public void Switching_protocol_changes_the_next_reply_only()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ReplyWriter(output);
        writer.NullBulk();
        writer.Protocol = 3;
        Assert.True(writer.IsResp3);
        writer.NullBulk();
        writer.Boolean(true);
        writer.Protocol = 2;
        Assert.False(writer.IsResp3);
        writer.Boolean(true);
        Assert.Equal("$-1\r\n_\r\n#t\r\n:1\r\n", Wire.Text(output.WrittenSpan));
        Assert.Equal(output.WrittenCount, writer.WrittenBytes);
    }

    [Fact]
    public void Resp3_reply_parses_as_nested_aggregates_of_the_expected_size()
    {
        string reply = ReplyWriterTests.Write(3, w =>
        {
            w.MapHeader(2);
            w.Bulk("server"u8);
            w.Bulk("lattice"u8);
            w.Bulk("modules"u8);
            w.SetHeader(2);
            w.Double(double.PositiveInfinity);
            w.NullBulk();
        });
        Assert.Equal("%2\r\n$6\r\nserver\r\n$7\r\nlattice\r\n$7\r\nmodules\r\n~2\r\n,inf\r\n_\r\n", reply);
    }
}
