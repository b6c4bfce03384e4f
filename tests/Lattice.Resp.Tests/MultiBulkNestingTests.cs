using System.Diagnostics;
using System.Text;

namespace Lattice.Resp.Tests;

/// <summary>
/// A request is a flat array of bulk strings. A nested aggregate is refused at its first byte, without
/// recursion, however deep the nesting goes.
/// </summary>
public sealed class MultiBulkNestingTests
{
    private const string ExpectedBulkGotArray = "Protocol error: expected '$', got '*'";

    [Fact]
    public void Nested_array_is_a_protocol_error()
    {
        Parsed parsed = Wire.Parse("*1\r\n*1\r\n$1\r\na\r\n");
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(ExpectedBulkGotArray, parsed.Error);
        Assert.Equal(0, parsed.Consumed);
    }

    [Fact]
    public void Nested_array_after_valid_bulks_is_a_protocol_error()
    {
        Parsed parsed = Wire.Parse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n*1\r\n$1\r\nv\r\n");
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(ExpectedBulkGotArray, parsed.Error);
    }

    [Theory]
    [InlineData('%')]
    [InlineData('~')]
    [InlineData('>')]
    [InlineData('_')]
    [InlineData('#')]
    [InlineData(',')]
    [InlineData('=')]
    [InlineData('(')]
    [InlineData('!')]
    public void Resp3_types_inside_a_request_are_protocol_errors(char type)
    {
        Parsed parsed = Wire.Parse($"*1\r\n{type}1\r\n$1\r\na\r\n");
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal($"Protocol error: expected '$', got '{type}'", parsed.Error);
    }

    [Fact]
    public void Hundred_thousand_levels_of_nesting_are_refused_at_the_second_level()
    {
        byte[] nested = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*1\r\n", 100_000)) + "$1\r\na\r\n");
        var clock = Stopwatch.StartNew();
        Parsed parsed = Wire.Parse(nested);
        Parsed logEntry = Wire.ParseMultiBulk(nested);
        clock.Stop();

        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(ExpectedBulkGotArray, parsed.Error);
        Assert.Equal(ParseStatus.Error, logEntry.Status);
        Assert.Equal(ExpectedBulkGotArray, logEntry.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Every_prefix_of_deep_nesting_is_incomplete_or_refused()
    {
        byte[] nested = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*1\r\n", 1000)));
        for (int length = 0; length <= nested.Length; length++)
        {
            Parsed parsed = Wire.ParseMultiBulk(nested.AsSpan(0, length));
            ParseStatus expected = length <= 4 ? ParseStatus.Incomplete : ParseStatus.Error;
            Assert.Equal(expected, parsed.Status);
            Assert.Equal(0, parsed.Consumed);
        }
    }

    [Fact]
    public void Hundred_thousand_level_nesting_prefix_without_an_end_is_refused()
    {
        string prefix = string.Concat(Enumerable.Repeat("*1\r\n", 100_000));
        Parsed parsed = Wire.Parse(prefix[..^3]);
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(ExpectedBulkGotArray, parsed.Error);
    }

    [Fact]
    public void Huge_declared_count_of_nested_arrays_is_refused_without_allocating_for_it()
    {
        Parsed parsed = Wire.Parse("*1048576\r\n*1048576\r\n*1048576\r\n");
        Assert.Equal(ParseStatus.Error, parsed.Status);
        Assert.Equal(ExpectedBulkGotArray, parsed.Error);
    }
}
