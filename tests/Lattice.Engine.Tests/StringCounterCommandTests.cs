using System.Security.Cryptography;
using System.Text;
using static Lattice.Engine.Tests.KeyTestSupport;

namespace Lattice.Engine.Tests;

public sealed class StringCounterCommandTests
{
    [Fact]
    public void Incr_and_decr_start_from_zero()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(1), h.Run("INCR", "k"));
        Assert.Equal(Int(2), h.Run("INCR", "k"));
        Assert.Equal(Int(-1), h.Run("DECR", "n"));
        Assert.Equal(Int(12), h.Run("INCRBY", "k", "10"));
        Assert.Equal(Int(-8), h.Run("INCRBY", "k", "-20"));
        Assert.Equal(Int(-13), h.Run("DECRBY", "k", "5"));
        Assert.Equal(Bulk("-13"), h.Run("GET", "k"));
    }

    [Fact]
    public void Counters_keep_the_ttl()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "10", "EX", "100");
        h.Run("INCR", "k");
        h.Run("DECRBY", "k", "3");
        h.Run("INCRBYFLOAT", "k", "1.5");
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(Bulk("9.5"), h.Run("GET", "k"));
    }

    [Fact]
    public void Counters_on_an_expired_key_start_afresh()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "10", "PX", "5");
        h.NowMs += 5;
        Assert.Equal(Int(1), h.Run("INCR", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    public void Counters_refuse_a_stored_value_that_is_not_an_integer(string stored)
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", stored);
        Assert.Equal(NotInteger, h.Run("INCR", "k"));
        Assert.Equal(NotInteger, h.Run("DECRBY", "k", "1"));
        Assert.Equal(Bulk(stored), h.Run("GET", "k"));
    }

    [Fact]
    public void Counters_refuse_a_bad_increment_and_collections()
    {
        using var h = new EngineHarness();
        Assert.Equal(NotInteger, h.Run("INCRBY", "k", "one"));
        Assert.Equal(NotInteger, h.Run("DECRBY", "k", "1.5"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("INCR", "l"));
        Assert.Equal(WrongType, h.Run("INCRBYFLOAT", "l", "1"));
        Assert.Equal(WrongType, h.Run("INCRBYFLOAT", "l", "x"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Overflow_is_refused_in_both_directions()
    {
        using var h = new EngineHarness();
        const string overflow = "-ERR increment or decrement would overflow\r\n";
        h.Run("SET", "max", "9223372036854775807");
        Assert.Equal(overflow, h.Run("INCR", "max"));
        Assert.Equal(Int(long.MaxValue - 1), h.Run("DECR", "max"));
        h.Run("SET", "min", "-9223372036854775808");
        Assert.Equal(overflow, h.Run("DECR", "min"));
        Assert.Equal(overflow, h.Run("INCRBY", "min", "-1"));
        Assert.Equal(Int(-1), h.Run("INCRBY", "min", "9223372036854775807"));
        h.Run("SET", "one", "1");
        Assert.Equal(overflow, h.Run("INCRBY", "one", "9223372036854775807"));
        Assert.Equal(Err("ERR decrement would overflow"), h.Run("DECRBY", "one", "-9223372036854775808"));
        Assert.Equal(Bulk("1"), h.Run("GET", "one"));
    }

    [Fact]
    public void Incrbyfloat_replies_and_stores_a_bulk_string()
    {
        using var h = new EngineHarness(protocol: 3);
        Assert.Equal(Bulk("10.5"), h.Run("INCRBYFLOAT", "k", "10.5"));
        Assert.Equal(Bulk("10.6"), h.Run("INCRBYFLOAT", "k", "0.1"));
        Assert.Equal(Bulk("10.6"), h.Run("GET", "k"));
    }

    [Fact]
    public void Incrbyfloat_refuses_bad_numbers_and_infinite_results()
    {
        using var h = new EngineHarness();
        const string notFloat = "-ERR value is not a valid float\r\n";
        const string infinite = "-ERR increment would produce NaN or Infinity\r\n";
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", "abc"));
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", "nan"));
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", " 1"));
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", "1e"));
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", ""));
        Assert.Equal(infinite, h.Run("INCRBYFLOAT", "k", "inf"));
        Assert.Equal(infinite, h.Run("INCRBYFLOAT", "k", "-Infinity"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        h.Run("SET", "k", "1.5x");
        Assert.Equal(notFloat, h.Run("INCRBYFLOAT", "k", "1"));
        h.Run("SET", "big", "1e4932");
        Assert.Equal(infinite, h.Run("INCRBYFLOAT", "big", "1.1e4932"));
    }

    [Theory]
    [MemberData(nameof(StringIncrByFloatOracle.Cases), MemberType = typeof(StringIncrByFloatOracle))]
    public void Incrbyfloat_matches_redis_digit_for_digit(string start, string increment, string expected)
    {
        using var h = new EngineHarness();
        h.Run("SET", "f", start);
        string reply = h.Run("INCRBYFLOAT", "f", increment);
        Assert.Equal(expected.StartsWith("ERR", StringComparison.Ordinal) ? Err(expected) : Bulk(expected), reply);
    }

    [Theory]
    [MemberData(nameof(StringIncrByFloatOracle.LongCases), MemberType = typeof(StringIncrByFloatOracle))]
    public void Incrbyfloat_matches_redis_for_huge_values(string start, string increment, int length, string sha256)
    {
        using var h = new EngineHarness();
        h.Run("SET", "f", start);
        h.Run("INCRBYFLOAT", "f", increment);
        string stored = h.Run("GET", "f").Split("\r\n")[1];
        Assert.Equal(length, stored.Length);
        Assert.Equal(sha256, Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(stored))));
    }
}
