using System.Buffers;

namespace Lattice.Resp.Tests;

/// <summary>The encoder writes the canonical multibulk form and measures it exactly.</summary>
public sealed class RequestEncoderTests
{
    [Fact]
    public void Encoder_writes_a_canonical_multibulk_request()
    {
        Assert.Equal("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", Wire.Text(Wire.Encode("SET", "k", "value")));
    }

    [Fact]
    public void No_arguments_encode_as_an_empty_array()
    {
        Assert.Equal("*0\r\n", Wire.Text(Wire.Encode(Array.Empty<string>())));
    }

    [Fact]
    public void Empty_argument_encodes_as_an_empty_bulk()
    {
        Assert.Equal("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", Wire.Text(Wire.Encode("ECHO", "")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(65536)]
    [InlineData(1_000_000)]
    public void Measured_size_equals_written_size_for_any_argument_length(int length)
    {
        byte[] buffer = new byte[length + 3];
        using var args = new ArgumentList();
        args.Add(0, 3);
        args.Add(3, length);

        int measured = RequestEncoder.MeasureBytes(args.AsArgs(buffer));
        var output = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(output, args.AsArgs(buffer));
        Assert.Equal(measured, output.WrittenCount);
        Assert.StartsWith($"*2\r\n$3\r\n\0\0\0\r\n${length}\r\n", Wire.Text(output.WrittenSpan[..Math.Min(output.WrittenCount, 32)]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(100)]
    [InlineData(12345)]
    public void Measured_size_equals_written_size_for_any_argument_count(int count)
    {
        byte[] buffer = new byte[count];
        using var args = new ArgumentList();
        for (int i = 0; i < count; i++)
        {
            args.Add(i, 1);
        }

        int measured = RequestEncoder.MeasureBytes(args.AsArgs(buffer));
        var output = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(output, args.AsArgs(buffer));
        Assert.Equal(measured, output.WrittenCount);
        Assert.Equal((count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 3) + (count * 7), measured);
    }

    [Fact]
    public void Encoder_appends_after_what_the_writer_already_holds()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("+OK\r\n"u8);
        byte[] buffer = Wire.Bytes("PING");
        using var args = new ArgumentList();
        args.Add(0, 4);
        RequestEncoder.Write(output, args.AsArgs(buffer));
        RequestEncoder.Write(output, args.AsArgs(buffer));
        Assert.Equal("+OK\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", Wire.Text(output.WrittenSpan));
    }

    [Fact]
    public void Encoding_an_argument_subset_writes_only_those_arguments()
    {
        byte[] frame = Wire.Bytes("*4\r\n$5\r\nMULTI\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
        using var args = new ArgumentList();
        Assert.Equal(ParseStatus.Complete, RequestParser.ParseMultiBulk(frame, RespLimits.Default, args, out _, out _));

        var output = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(output, args.AsArgs(frame).Skip(1));
        Assert.Equal("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", Wire.Text(output.WrittenSpan));
    }

    [Fact]
    public void Parsed_inline_request_re_encodes_as_multibulk()
    {
        Parsed parsed = Wire.Parse("SET \"a b\" 'c'\r\n");
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\na b\r\n$1\r\nc\r\n", Wire.Text(Wire.Encode(parsed.Args)));
    }
}
