namespace Lattice.Resp.Tests;

/// <summary>
/// Malformed multibulk requests end in a protocol error worded as Redis words it (networking.c,
/// processMultibulkBuffer), never in an exception, and consume nothing.
/// </summary>
public sealed class MultiBulkProtocolErrorTests
{
    private const string InvalidMultibulkLength = "Protocol error: invalid multibulk length";
    private const string InvalidBulkLength = "Protocol error: invalid bulk length";

    [Theory]
    [InlineData("*1048577\r\n")]
    [InlineData("*20000000\r\n")]
    [InlineData("*99999999999\r\n")]
    [InlineData("*2147483648\r\n")]
    [InlineData("*9223372036854775807\r\n")]
    [InlineData("*9223372036854775808\r\n")]
    [InlineData("*18446744073709551616\r\n")]
    [InlineData("*99999999999999999999999999999\r\n")]
    [InlineData("*-9223372036854775809\r\n")]
    public void Huge_count_is_an_invalid_multibulk_length(string frame)
    {
        AssertError(frame, InvalidMultibulkLength);
    }

    [Theory]
    [InlineData("*x\r\n")]
    [InlineData("*\r\n")]
    [InlineData("*-\r\n")]
    [InlineData("*1x\r\n")]
    [InlineData("*x1\r\n")]
    [InlineData("* 1\r\n")]
    [InlineData("*1 \r\n")]
    [InlineData("*+1\r\n")]
    [InlineData("*01\r\n")]
    [InlineData("*00\r\n")]
    [InlineData("*-0\r\n")]
    [InlineData("*--1\r\n")]
    [InlineData("*1.0\r\n")]
    [InlineData("*0x1\r\n")]
    [InlineData("*1e3\r\n")]
    [InlineData("*\u00b9\r\n")]
    [InlineData("*1\r\r\n")]
    [InlineData("*1\n")]
    [InlineData("*\n")]
    [InlineData("*1\0\r\n")]
    public void Count_that_is_not_a_plain_integer_is_an_invalid_multibulk_length(string frame)
    {
        AssertError(frame, InvalidMultibulkLength);
    }

    [Fact]
    public void Count_above_a_custom_limit_is_an_invalid_multibulk_length()
    {
        var limits = new RespLimits { MaxMultiBulkLength = 3 };
        AssertError("*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", InvalidMultibulkLength, limits);
    }

    [Theory]
    [InlineData("$-1\r\n")]
    [InlineData("$-2\r\n")]
    [InlineData("$-9223372036854775808\r\n")]
    public void Negative_bulk_length_is_an_invalid_bulk_length(string header)
    {
        AssertError("*1\r\n" + header, InvalidBulkLength);
    }

    [Theory]
    [InlineData("$536870913\r\n")]
    [InlineData("$2147483648\r\n")]
    [InlineData("$9999999999999\r\n")]
    [InlineData("$9223372036854775807\r\n")]
    [InlineData("$9223372036854775808\r\n")]
    [InlineData("$18446744073709551617\r\n")]
    [InlineData("$99999999999999999999999999999\r\n")]
    public void Huge_bulk_length_is_an_invalid_bulk_length(string header)
    {
        AssertError("*1\r\n" + header, InvalidBulkLength);
    }

    [Fact]
    public void Bulk_at_the_default_limit_is_accepted_and_waits_for_its_payload()
    {
        Parsed parsed = Wire.Parse("*1\r\n$536870912\r\n");
        Assert.Equal(ParseStatus.Incomplete, parsed.Status);
        Assert.Null(parsed.Error);
    }

    [Fact]
    public void Bulk_above_a_custom_limit_is_an_invalid_bulk_length()
    {
        var limits = new RespLimits { MaxBulkBytes = 5 };
        AssertError("*2\r\n$3\r\nGET\r\n$6\r\nabcdef\r\n", InvalidBulkLength, limits);
    }

    [Theory]
    [InlineData("$x\r\n")]
    [InlineData("$\r\n")]
    [InlineData("$-\r\n")]
    [InlineData("$3x\r\n")]
    [InlineData("$ 3\r\n")]
    [InlineData("$3 \r\n")]
    [InlineData("$+3\r\n")]
    [InlineData("$03\r\n")]
    [InlineData("$-0\r\n")]
    [InlineData("$3.0\r\n")]
    [InlineData("$3\n")]
    [InlineData("$3\r\r\n")]
    public void Bulk_length_that_is_not_a_plain_integer_is_an_invalid_bulk_length(string header)
    {
        AssertError("*1\r\n" + header + "foo\r\n", InvalidBulkLength);
    }

    [Theory]
    [InlineData("*1\r\n:1\r\n", ':')]
    [InlineData("*1\r\n+OK\r\n", '+')]
    [InlineData("*1\r\n-ERR\r\n", '-')]
    [InlineData("*1\r\nGET\r\n", 'G')]
    [InlineData("*2\r\n$3\r\nGET\r\n k\r\n", ' ')]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", 'f')]
    [InlineData("*1\r\n\r\n", '\r')]
    public void Element_that_is_not_a_bulk_is_refused_naming_the_byte_found(string frame, char found)
    {
        AssertError(frame, $"Protocol error: expected '$', got '{found}'");
    }

    [Fact]
    public void Element_type_is_refused_as_soon_as_its_first_byte_arrives()
    {
        AssertError("*2\r\n$3\r\nGET\r\nk", "Protocol error: expected '$', got 'k'");
    }

    [Theory]
    [InlineData("*1\r\n$3\r\nfooXY")]
    [InlineData("*1\r\n$3\r\nfoo\rX")]
    [InlineData("*1\r\n$3\r\nfoo\n\r")]
    [InlineData("*1\r\n$3\r\nfoo\r\r")]
    [InlineData("*1\r\n$2\r\nfoo\r\n")]
    [InlineData("*2\r\n$3\r\nGET\r\n$0\r\nk\r\n")]
    public void Bulk_not_followed_by_crlf_is_a_protocol_error(string frame)
    {
        AssertError(frame, "Protocol error: bulk string is not terminated by CRLF");
    }

    [Fact]
    public void Bulk_whose_crlf_has_not_arrived_needs_more_data()
    {
        Assert.Equal(ParseStatus.Incomplete, Wire.Parse("*1\r\n$3\r\nfoo").Status);
        Assert.Equal(ParseStatus.Incomplete, Wire.Parse("*1\r\n$3\r\nfoo\r").Status);
    }

    [Fact]
    public void Count_line_longer_than_the_inline_limit_is_too_big()
    {
        var limits = new RespLimits { MaxInlineBytes = 8 };
        AssertError("*12345678", "Protocol error: too big mbulk count string", limits);
        AssertError("*" + new string('1', 70000), "Protocol error: too big mbulk count string");
    }

    [Fact]
    public void Bulk_header_longer_than_32_bytes_without_newline_is_too_big()
    {
        AssertError("*1\r\n$" + new string('1', 32), "Protocol error: too big bulk count string");
        AssertError("*1\r\n$" + new string('1', 100000), "Protocol error: too big bulk count string");
    }

    [Fact]
    public void Error_in_a_later_argument_refuses_the_whole_request()
    {
        AssertError("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-7\r\nv\r\n", InvalidBulkLength);
    }

    [Fact]
    public void Error_is_found_even_after_a_complete_request_is_consumed()
    {
        List<Parsed> results = Wire.ParseAll(Wire.Bytes("*1\r\n$4\r\nPING\r\n*1\r\n$-2\r\n"));
        Assert.Equal(2, results.Count);
        Assert.Equal(["PING"], results[0].Text);
        Assert.Equal(ParseStatus.Error, results[1].Status);
        Assert.Equal(InvalidBulkLength, results[1].Error);
    }

    [Fact]
    public void Log_entry_that_is_not_a_multibulk_is_refused()
    {
        Parsed parsed = Wire.ParseMultiBulk("PING\r\n");
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal("Protocol error: expected '*'", parsed.Error);
        Assert.Equal(0, parsed.Consumed);
    }

    private static void AssertError(string frame, string expected, RespLimits? limits = null)
    {
        Parsed parsed = Wire.Parse(frame, limits);
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(expected, parsed.Error);
        Assert.Equal(0, parsed.Consumed);

        Parsed logEntry = Wire.ParseMultiBulk(frame, limits);
        Assert.Equal(ParseStatus.Error, logEntry.Status);
        Assert.Equal(expected, logEntry.Error);
        Assert.Equal(0, logEntry.Consumed);
    }
}
