namespace Lattice.Resp.Tests;

/// <summary>How multibulk requests are delimited: partial frames, whole frames, and pipelines.</summary>
public sealed class MultiBulkFramingTests
{
    private const string SetFrame = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";

    public static TheoryData<string> ValidFrames => new()
    {
        SetFrame,
        "*1\r\n$4\r\nPING\r\n",
        "*2\r\n$0\r\n\r\n$0\r\n\r\n",
        "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n",
        "*1\r\n$10\r\n0123456789\r\n",
        "*12\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n$1\r\nk\r\n$1\r\nl\r\n",
    };

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Truncated_frame_needs_more_data(string frame)
    {
        byte[] bytes = Wire.Bytes(frame);
        for (int length = 0; length < bytes.Length; length++)
        {
            Parsed parsed = Wire.Parse(bytes.AsSpan(0, length));
            Assert.True(parsed.Status == ParseStatus.Incomplete, $"prefix of {length} bytes gave {parsed.Status} ({parsed.Error})");
            Assert.Equal(0, parsed.Consumed);
            Assert.Null(parsed.Error);
        }
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Truncated_frame_needs_more_data_when_read_as_a_log_entry(string frame)
    {
        byte[] bytes = Wire.Bytes(frame);
        for (int length = 0; length < bytes.Length; length++)
        {
            Parsed parsed = Wire.ParseMultiBulk(bytes.AsSpan(0, length));
            Assert.True(parsed.Status == ParseStatus.Incomplete, $"prefix of {length} bytes gave {parsed.Status} ({parsed.Error})");
            Assert.Equal(0, parsed.Consumed);
            Assert.Null(parsed.Error);
        }
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Whole_frame_parses_and_consumes_exactly_its_bytes(string frame)
    {
        Parsed parsed = Wire.Parse(frame);
        parsed.AssertCompleteRequest(frame.Length);

        Parsed again = Wire.ParseMultiBulk(frame);
        Assert.Equal(ParseStatus.Complete, again.Status);
        Assert.Equal(frame.Length, again.Consumed);
        Assert.Equal(parsed.Text, again.Text);
    }

    [Fact]
    public void Frame_arguments_are_the_bulk_payloads_in_order()
    {
        Parsed parsed = Wire.Parse(SetFrame);
        Assert.Equal(["SET", "key", "value"], parsed.Text);
    }

    [Fact]
    public void Bulk_payload_may_contain_crlf_and_is_read_by_its_length()
    {
        Parsed parsed = Wire.Parse("*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n");
        Assert.Equal(["ECHO", "hello\r\nworld"], parsed.Text);
    }

    [Fact]
    public void Empty_bulk_is_an_empty_argument()
    {
        Parsed parsed = Wire.Parse("*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
        Assert.Equal(ParseStatus.Complete, parsed.Status);
        Assert.Equal(["GET", ""], parsed.Text);
    }

    [Fact]
    public void Bytes_after_a_frame_are_left_for_the_next_parse()
    {
        string next = "*1\r\n$4\r\nPI";
        Parsed parsed = Wire.Parse(SetFrame + next);
        Assert.Equal(ParseStatus.Complete, parsed.Status);
        Assert.Equal(SetFrame.Length, parsed.Consumed);
        Assert.Equal(["SET", "key", "value"], parsed.Text);
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*-5\r\n")]
    [InlineData("*-9223372036854775808\r\n")]
    public void Empty_or_negative_count_is_an_empty_request_skipped_as_redis_does(string frame)
    {
        // Redis (processMultibulkBuffer: "ll <= 0") drops such a request without a reply.
        Parsed parsed = Wire.Parse(frame);
        parsed.AssertCompleteRequest(frame.Length);
        Assert.Empty(parsed.Args);
    }

    [Fact]
    public void Pipelined_frames_parse_one_after_another()
    {
        string[] frames = [SetFrame, "*1\r\n$4\r\nPING\r\n", "*0\r\n", "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"];
        string partial = "*2\r\n$3\r\nGET\r\n$3\r\nke";
        List<Parsed> results = Wire.ParseAll(Wire.Bytes(string.Concat(frames) + partial));

        Assert.Equal(frames.Length + 1, results.Count);
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(ParseStatus.Complete, results[i].Status);
            Assert.Equal(frames[i].Length, results[i].Consumed);
        }

        Assert.Equal(["SET", "key", "value"], results[0].Text);
        Assert.Equal(["PING"], results[1].Text);
        Assert.Empty(results[2].Args);
        Assert.Equal(["GET", "key"], results[3].Text);
        Assert.Equal(ParseStatus.Incomplete, results[^1].Status);
        Assert.Equal(0, results[^1].Consumed);
    }

    [Fact]
    public void Pipelined_inline_and_multibulk_requests_mix()
    {
        List<Parsed> results = Wire.ParseAll(Wire.Bytes("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO there\n\r\n"));
        Assert.Equal(5, results.Count);
        Assert.Equal(["PING"], results[0].Text);
        Assert.Equal(6, results[0].Consumed);
        Assert.Equal(["ECHO", "hi"], results[1].Text);
        Assert.Equal(22, results[1].Consumed);
        Assert.Equal(["ECHO", "there"], results[2].Text);
        Assert.Equal(11, results[2].Consumed);
        Assert.Empty(results[3].Args);
        Assert.Equal(2, results[3].Consumed);
        Assert.Equal(ParseStatus.Incomplete, results[4].Status);
    }

    [Fact]
    public void A_pipeline_fed_one_byte_at_a_time_yields_the_same_requests()
    {
        byte[] stream = Wire.Bytes(SetFrame + "*1\r\n$4\r\nPING\r\nECHO \"a b\"\r\n*0\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
        var received = new List<string[]>();
        var pending = new List<byte>();
        using var args = new ArgumentList();
        foreach (byte b in stream)
        {
            pending.Add(b);
            while (true)
            {
                byte[] buffer = [.. pending];
                Parsed parsed = Wire.ParseInto(buffer, RespLimits.Default, args);
                Assert.NotEqual(ParseStatus.Error, parsed.Status);
                if (parsed.Status == ParseStatus.Incomplete)
                {
                    Assert.Equal(0, parsed.Consumed);
                    break;
                }

                received.Add(parsed.Text);
                pending.RemoveRange(0, parsed.Consumed);
            }
        }

        Assert.Empty(pending);
        Assert.Equal(
            [["SET", "key", "value"], ["PING"], ["ECHO", "a b"], [], ["GET", ""]],
            received);
    }

    [Fact]
    public void Reusing_an_argument_list_holds_only_the_latest_request()
    {
        using var args = new ArgumentList();
        Parsed first = Wire.ParseInto(Wire.Bytes(SetFrame), RespLimits.Default, args);
        Assert.Equal(3, first.Args.Length);

        byte[] second = Wire.Bytes("*1\r\n$4\r\nPING\r\n");
        Parsed parsed = Wire.ParseInto(second, RespLimits.Default, args);
        Assert.Equal(["PING"], parsed.Text);
        Assert.Equal(1, args.Count);

        Parsed empty = Wire.ParseInto(Wire.Bytes("*0\r\n"), RespLimits.Default, args);
        Assert.Equal(ParseStatus.Complete, empty.Status);
        Assert.Equal(0, args.Count);
    }

    [Fact]
    public void Arguments_are_slices_of_the_parsed_buffer()
    {
        byte[] buffer = Wire.Bytes(SetFrame);
        using var args = new ArgumentList();
        ParseStatus status = RequestParser.TryParse(buffer, RespLimits.Default, args, out _, out _);
        Assert.Equal(ParseStatus.Complete, status);

        CommandArgs view = args.AsArgs(buffer);
        buffer[SetFrame.IndexOf("key", StringComparison.Ordinal)] = (byte)'K';
        Assert.Equal("Key", Wire.Text(view[1]));
    }

    [Fact]
    public void Empty_buffer_needs_more_data()
    {
        Parsed parsed = Wire.Parse([]);
        Assert.Equal(ParseStatus.Incomplete, parsed.Status);
        Assert.Equal(0, parsed.Consumed);
        Assert.Null(parsed.Error);
    }

    [Fact]
    public void Count_at_the_limit_waits_for_its_arguments()
    {
        var limits = new RespLimits { MaxMultiBulkLength = 3 };
        Assert.Equal(ParseStatus.Incomplete, Wire.Parse("*3\r\n", limits).Status);
        Parsed parsed = Wire.Parse("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", limits);
        Assert.Equal(["a", "b", "c"], parsed.Text);
    }

    [Fact]
    public void Bulk_at_the_limit_parses()
    {
        var limits = new RespLimits { MaxBulkBytes = 5 };
        Parsed parsed = Wire.Parse("*1\r\n$5\r\nabcde\r\n", limits);
        Assert.Equal(ParseStatus.Complete, parsed.Status);
        Assert.Equal(["abcde"], parsed.Text);
    }

    [Fact]
    public void Count_line_within_the_inline_limit_waits_for_its_newline()
    {
        var limits = new RespLimits { MaxInlineBytes = 8 };
        Parsed parsed = Wire.Parse("*1234567", limits);
        Assert.Equal(ParseStatus.Incomplete, parsed.Status);
        Assert.Null(parsed.Error);
    }

    [Fact]
    public void Bulk_header_of_up_to_32_bytes_waits_for_its_newline()
    {
        Parsed parsed = Wire.Parse("*1\r\n$" + new string('1', 31));
        Assert.Equal(ParseStatus.Incomplete, parsed.Status);
        Assert.Null(parsed.Error);
    }
}
