namespace Lattice.Resp.Tests;

/// <summary>The argument view: indexing, sub-ranges, payload size and keyword matching.</summary>
public sealed class CommandArgsTests
{
    private static readonly byte[] Buffer = Wire.Bytes("MULTISETkeyvalue");
    private static readonly int[] Starts = [0, 5, 8, 11];
    private static readonly int[] Lengths = [5, 3, 3, 5];

    [Fact]
    public void Arguments_index_into_the_buffer()
    {
        var args = new CommandArgs(Buffer, Starts, Lengths);
        Assert.Equal(4, args.Count);
        Assert.Equal("MULTI", Wire.Text(args[0]));
        Assert.Equal("value", Wire.Text(args[3]));
    }

    [Fact]
    public void Index_past_the_end_throws()
    {
        Assert.Throws<IndexOutOfRangeException>(() => new CommandArgs(Buffer, Starts, Lengths)[4].Length);
    }

    [Fact]
    public void Mismatched_offset_counts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CommandArgs(Buffer, Starts, Lengths.AsSpan(0, 3)).Count);
    }

    [Fact]
    public void Skip_drops_leading_arguments()
    {
        CommandArgs rest = new CommandArgs(Buffer, Starts, Lengths).Skip(1);
        Assert.Equal(3, rest.Count);
        Assert.Equal("SET", Wire.Text(rest[0]));
        Assert.Equal("value", Wire.Text(rest[2]));
        Assert.Equal(0, new CommandArgs(Buffer, Starts, Lengths).Skip(4).Count);
    }

    [Fact]
    public void Slice_takes_a_middle_range()
    {
        CommandArgs middle = new CommandArgs(Buffer, Starts, Lengths).Slice(1, 2);
        Assert.Equal(2, middle.Count);
        Assert.Equal("SET", Wire.Text(middle[0]));
        Assert.Equal("key", Wire.Text(middle[1]));
    }

    [Fact]
    public void Payload_bytes_sums_every_argument_length()
    {
        Assert.Equal(16, new CommandArgs(Buffer, Starts, Lengths).PayloadBytes);
        Assert.Equal(8, new CommandArgs(Buffer, Starts, Lengths).Slice(2, 2).PayloadBytes);
        Assert.Equal(0, new CommandArgs(Buffer, [], []).PayloadBytes);
    }

    [Fact]
    public void Payload_bytes_does_not_overflow_an_int()
    {
        int[] starts = [0, 0, 0];
        int[] lengths = [int.MaxValue, int.MaxValue, int.MaxValue];
        Assert.Equal(3L * int.MaxValue, new CommandArgs(default, starts, lengths).PayloadBytes);
    }

    [Theory]
    [InlineData("set", true)]
    [InlineData("SET", true)]
    [InlineData("SeT", true)]
    [InlineData("SE", false)]
    [InlineData("SETX", false)]
    [InlineData("GET", false)]
    public void Keyword_match_ignores_ascii_case(string argument, bool matches)
    {
        byte[] buffer = Wire.Bytes(argument);
        int[] starts = [0];
        int[] lengths = [buffer.Length];
        Assert.Equal(matches, new CommandArgs(buffer, starts, lengths).Is(0, "SET"u8));
    }

    [Fact]
    public void Keyword_match_does_not_fold_non_ascii_bytes()
    {
        byte[] buffer = Wire.Bytes("\u00e9");
        int[] starts = [0];
        int[] lengths = [1];
        Assert.False(new CommandArgs(buffer, starts, lengths).Is(0, Wire.Bytes("\u00c9")));
    }
}
