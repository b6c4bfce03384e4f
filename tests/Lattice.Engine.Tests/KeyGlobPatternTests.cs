using System.Diagnostics;
using System.Text;

namespace Lattice.Engine.Tests;

public sealed class KeyGlobPatternTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hallo", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h*llo", "hellox", false)]
    [InlineData("*llo", "hello", true)]
    [InlineData("he*", "hello", true)]
    [InlineData("h**o", "hello", true)]
    [InlineData("h[ae]llo", "hello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("[z-a]", "m", true)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[^a-c]x", "bx", false)]
    [InlineData("[a-]", "-", true)]
    [InlineData("[abc", "b", true)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("\\?", "?", true)]
    [InlineData("\\?", "a", false)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("user:*:name", "user:42:name", true)]
    [InlineData("user:*:name", "user:42:age", false)]
    public void Matches_as_redis_does(string pattern, string subject, bool expected) =>
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(subject)));

    [Theory]
    [InlineData("HELLO", "hello")]
    [InlineData("h[A-Z]llo", "hello")]
    [InlineData("H[E]LLO", "hello")]
    [InlineData("h?LLO*", "HeLLoWorld")]
    public void Ignoring_case_matches_either_case(string pattern, string subject)
    {
        Assert.True(GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(subject), ignoreCase: true));
        Assert.False(GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(subject)));
    }

    [Fact]
    public void Binary_bytes_match_literally()
    {
        byte[] subject = [0, 1, 0xFF, (byte)'x'];
        Assert.True(GlobPattern.IsMatch([0, (byte)'?', 0xFF, (byte)'*'], subject));
        Assert.False(GlobPattern.IsMatch([1, (byte)'*'], subject));
    }

    [Fact]
    public void A_pathological_pattern_finishes_quickly()
    {
        byte[] pattern = Encoding.ASCII.GetBytes("a*a*a*a*a*a*a*a*a*a*b");
        byte[] subject = Encoding.ASCII.GetBytes(new string('a', 20_000));
        var clock = Stopwatch.StartNew();
        Assert.False(GlobPattern.IsMatch(pattern, subject));
        Assert.True(GlobPattern.IsMatch(pattern, [.. subject, (byte)'b']));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    // Core bug: GlobPattern.Match tests "depth > NestingMax" before "--budget < 0", so calls cut off by depth are
    // free and 5000 nested stars take ~10 minutes. Swapping the two conditions makes this pass in milliseconds.
    [Fact]
    public void Deeply_nested_stars_do_not_overflow_the_stack()
    {
        byte[] pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*x", 5000)));
        byte[] subject = Encoding.ASCII.GetBytes(new string('x', 4000));
        Assert.False(GlobPattern.IsMatch(pattern, subject));
    }
}
