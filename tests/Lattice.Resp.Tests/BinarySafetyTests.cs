using Lattice.Common;

namespace Lattice.Resp.Tests;

/// <summary>Bulk strings carry any bytes: every value 0..255, CR LF and NUL included, survives encode then parse.</summary>
public sealed class BinarySafetyTests
{
    [Fact]
    public void Every_byte_value_round_trips_as_its_own_argument()
    {
        byte[][] args = [.. Enumerable.Range(0, 256).Select(b => new[] { (byte)b })];
        AssertRoundTrip(args);
    }

    [Fact]
    public void Value_holding_every_byte_value_round_trips()
    {
        byte[] all = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        byte[] reversed = [.. all.Reverse()];
        AssertRoundTrip(Wire.Bytes("SET"), all, reversed);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\0")]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\0\0\0")]
    [InlineData("*1\r\n$3\r\nfoo\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("\"unbalanced")]
    [InlineData(" leading and trailing ")]
    [InlineData("")]
    public void Keys_and_values_that_look_like_protocol_round_trip(string text)
    {
        AssertRoundTrip(Wire.Bytes("SET"), Wire.Bytes(text), Wire.Bytes(text + text));
    }

    [Fact]
    public void Random_binary_arguments_round_trip()
    {
        var random = new DeterministicRandom(0xB1A4);
        for (int iteration = 0; iteration < 500; iteration++)
        {
            int count = 1 + random.NextInt(8);
            var args = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                args[i] = new byte[random.NextInt(300)];
                for (int j = 0; j < args[i].Length; j++)
                {
                    args[i][j] = (byte)random.NextInt(256);
                }
            }

            AssertRoundTrip(args);
        }
    }

    [Fact]
    public void Megabyte_value_round_trips()
    {
        var random = new DeterministicRandom(7);
        byte[] value = new byte[1 << 20];
        for (int i = 0; i < value.Length; i++)
        {
            value[i] = (byte)random.NextUInt64();
        }

        AssertRoundTrip(Wire.Bytes("SET"), Wire.Bytes("k"), value);
    }

    [Fact]
    public void Binary_frame_split_at_every_point_completes_only_when_whole()
    {
        byte[] all = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        byte[] frame = Wire.Encode(Wire.Bytes("SET"), Wire.Bytes("\r\n\0"), all);
        for (int split = 0; split < frame.Length; split++)
        {
            Assert.Equal(ParseStatus.Incomplete, Wire.Parse(frame.AsSpan(0, split)).Status);
        }

        Parsed parsed = Wire.Parse(frame);
        Assert.Equal(ParseStatus.Complete, parsed.Status);
        Assert.Equal(all, parsed.Args[2]);
    }

    private static void AssertRoundTrip(params byte[][] args)
    {
        byte[] frame = Wire.Encode(args);
        Parsed parsed = Wire.Parse(frame);
        Assert.Equal(ParseStatus.Complete, parsed.Status);
        Assert.Equal(frame.Length, parsed.Consumed);
        Assert.Equal(args.Length, parsed.Args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            Assert.Equal(args[i], parsed.Args[i]);
        }

        Parsed logEntry = Wire.ParseMultiBulk(frame);
        Assert.Equal(ParseStatus.Complete, logEntry.Status);
        Assert.Equal(parsed.Args, logEntry.Args);
        Assert.Equal(frame, Wire.Encode(parsed.Args));
    }
}
