namespace Lattice.Resp.Tests;

/// <summary>
/// Inline (telnet-style) requests split as Redis's sdssplitargs does: blanks separate arguments, double
/// quotes take C escapes, single quotes only escape themselves.
/// </summary>
public sealed class InlineParserTests
{
    private const string Unbalanced = "Protocol error: unbalanced quotes in request";
    private const string TooBig = "Protocol error: too big inline request";

    [Theory]
    [InlineData("SET key value\r\n", new[] { "SET", "key", "value" })]
    [InlineData("SET key value\n", new[] { "SET", "key", "value" })]
    [InlineData("  SET\t key \t value  \r\n", new[] { "SET", "key", "value" })]
    [InlineData("PING\r\n", new[] { "PING" })]
    [InlineData("GET k\rx\r\n", new[] { "GET", "k", "x" })]
    [InlineData("$3\r\n", new[] { "$3" })]
    [InlineData("GET \u00ff\u0080\r\n", new[] { "GET", "\u00ff\u0080" })]
    public void Inline_request_splits_on_blanks(string line, string[] expected)
    {
        Parsed parsed = Wire.Parse(line);
        parsed.AssertCompleteRequest(line.Length);
        Assert.Equal(expected, parsed.Text);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("   \r\n")]
    [InlineData(" \t \n")]
    public void Empty_inline_line_is_an_empty_request(string line)
    {
        Parsed parsed = Wire.Parse(line);
        parsed.AssertCompleteRequest(line.Length);
        Assert.Empty(parsed.Args);
    }

    [Fact]
    public void Inline_request_without_newline_needs_more_data()
    {
        foreach (string partial in new[] { "P", "PING", "PING\r", "SET \"a b", "SET 'it\\'" })
        {
            byte[] buffer = Wire.Bytes(partial);
            byte[] before = [.. buffer];
            using var args = new ArgumentList();
            Parsed parsed = Wire.ParseInto(buffer, RespLimits.Default, args);
            Assert.Equal(ParseStatus.Incomplete, parsed.Status);
            Assert.Equal(0, parsed.Consumed);
            Assert.Null(parsed.Error);
            Assert.Equal(before, buffer);
        }
    }

    [Fact]
    public void Every_prefix_of_an_inline_request_needs_more_data()
    {
        string line = "SET \"k\\x41 y\" 'v\\'w'\r\n";
        for (int length = 0; length < line.Length; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, Wire.Parse(line[..length]).Status);
        }

        Assert.Equal(["SET", "kA y", "v'w"], Wire.Parse(line).Text);
    }

    [Theory]
    [InlineData("SET \"a b\" c\r\n", new[] { "SET", "a b", "c" })]
    [InlineData("SET k \"\"\r\n", new[] { "SET", "k", "" })]
    [InlineData("SET k ''\r\n", new[] { "SET", "k", "" })]
    [InlineData("ECHO \"\\x41\\x62\\x7a\"\r\n", new[] { "ECHO", "Abz" })]
    [InlineData("ECHO \"\\xff\\x00\\xFF\"\r\n", new[] { "ECHO", "\u00ff\0\u00ff" })]
    [InlineData("ECHO \"a\\nb\\rc\\td\\be\\af\"\r\n", new[] { "ECHO", "a\nb\rc\td\be\af" })]
    [InlineData("ECHO \"q\\\"q\"\r\n", new[] { "ECHO", "q\"q" })]
    [InlineData("ECHO \"back\\\\slash\"\r\n", new[] { "ECHO", "back\\slash" })]
    [InlineData("ECHO \"\\z\\'\"\r\n", new[] { "ECHO", "z'" })]
    [InlineData("ECHO \"\\xZZ\"\r\n", new[] { "ECHO", "xZZ" })]
    [InlineData("ECHO \"\\x4\"\r\n", new[] { "ECHO", "x4" })]
    [InlineData("ECHO \"it's\"\r\n", new[] { "ECHO", "it's" })]
    [InlineData("ECHO 'say \"hi\"'\r\n", new[] { "ECHO", "say \"hi\"" })]
    [InlineData("ECHO 'it\\'s'\r\n", new[] { "ECHO", "it's" })]
    [InlineData("ECHO 'a\\nb'\r\n", new[] { "ECHO", "a\\nb" })]
    [InlineData("ECHO 'a\\\\b'\r\n", new[] { "ECHO", "a\\\\b" })]
    [InlineData("ECHO '\\x41'\r\n", new[] { "ECHO", "\\x41" })]
    [InlineData("ECHO foo\"bar baz\"\r\n", new[] { "ECHO", "foobar baz" })]
    [InlineData("ECHO a\\nb\r\n", new[] { "ECHO", "a\\nb" })]
    [InlineData("ECHO \"a\"\t\"b\"\r\n", new[] { "ECHO", "a", "b" })]
    [InlineData("ECHO \"a\"\r\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\"\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\rb\tc\"\r\n", new[] { "ECHO", "a\rb\tc" })]
    public void Quoted_arguments_are_unescaped_as_redis_does(string line, string[] expected)
    {
        Parsed parsed = Wire.Parse(line);
        parsed.AssertCompleteRequest(line.Length);
        Assert.Equal(expected, parsed.Text);
    }

    [Theory]
    [InlineData("SET \"abc\r\n")]
    [InlineData("SET 'abc\r\n")]
    [InlineData("SET \"abc\\\"\r\n")]
    [InlineData("SET 'abc\\'\r\n")]
    [InlineData("SET \"abc\\\r\n")]
    [InlineData("SET \"abc\"def\r\n")]
    [InlineData("SET 'abc'def\r\n")]
    [InlineData("SET \"a\"\"b\"\r\n")]
    [InlineData("\"\r\n")]
    [InlineData("'\n")]
    public void Unbalanced_quotes_are_a_protocol_error(string line)
    {
        Parsed parsed = Wire.Parse(line);
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(Unbalanced, parsed.Error);
    }

    [Fact]
    public void Inline_requests_pipeline_line_by_line()
    {
        List<Parsed> results = Wire.ParseAll(Wire.Bytes("PING\r\nECHO \"x y\"\nSET k v\r\nGET"));
        Assert.Equal(4, results.Count);
        Assert.Equal(["PING"], results[0].Text);
        Assert.Equal(6, results[0].Consumed);
        Assert.Equal(["ECHO", "x y"], results[1].Text);
        Assert.Equal(11, results[1].Consumed);
        Assert.Equal(["SET", "k", "v"], results[2].Text);
        Assert.Equal(9, results[2].Consumed);
        Assert.Equal(ParseStatus.Incomplete, results[3].Status);
    }

    [Fact]
    public void Unescaping_in_place_leaves_the_following_request_intact()
    {
        List<Parsed> results = Wire.ParseAll(Wire.Bytes("ECHO \"\\x41\\x42\\x43\" \"\\n\"\r\nECHO next\r\n"));
        Assert.Equal(["ECHO", "ABC", "\n"], results[0].Text);
        Assert.Equal(["ECHO", "next"], results[1].Text);
    }

    [Fact]
    public void Inline_line_longer_than_the_limit_is_too_big()
    {
        var limits = new RespLimits { MaxInlineBytes = 16 };
        Assert.Equal(ParseStatus.Incomplete, Wire.Parse(new string('a', 16), limits).Status);

        Parsed waiting = Wire.Parse(new string('a', 17), limits);
        Assert.Equal(ParseStatus.Error, waiting.Status);
        Assert.Equal(TooBig, waiting.Error);

        Parsed whole = Wire.Parse(new string('a', 20) + "\r\n", limits);
        Assert.Equal(ParseStatus.Error, whole.Status);
        Assert.Equal(TooBig, whole.Error);
    }

    [Fact]
    public void Inline_line_at_the_limit_parses()
    {
        var limits = new RespLimits { MaxInlineBytes = 16 };
        string line = "ECHO 0123456789\r\n";
        Assert.Equal(16, line.IndexOf('\n', StringComparison.Ordinal));
        Assert.Equal(["ECHO", "0123456789"], Wire.Parse(line, limits).Text);
    }

    [Fact]
    public void Default_inline_limit_is_64_kilobytes()
    {
        Assert.Equal(ParseStatus.Incomplete, Wire.Parse(new string('a', 64 * 1024)).Status);
        Parsed parsed = Wire.Parse(new string('a', (64 * 1024) + 1));
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(TooBig, parsed.Error);
    }

    [Fact]
    public void Inline_parser_can_be_called_directly()
    {
        byte[] buffer = Wire.Bytes("GET \"k\\x21\"\r\nrest");
        using var args = new ArgumentList();
        ParseStatus status = InlineParser.TryParse(buffer, RespLimits.Default, args, out int consumed, out string? error);
        Assert.Equal(ParseStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal(13, consumed);
        CommandArgs view = args.AsArgs(buffer);
        Assert.Equal(2, view.Count);
        Assert.Equal("GET", Wire.Text(view[0]));
        Assert.Equal("k!", Wire.Text(view[1]));
    }
}
