using static Lattice.Engine.Tests.KeyTestSupport;

namespace Lattice.Engine.Tests;

public sealed class KeyExpiryCommandTests
{
    [Fact]
    public void Expire_sets_a_relative_ttl_and_the_key_goes_away()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "10"));
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "10"));
        Assert.Equal(Int(10), h.Run("TTL", "k"));
        Assert.Equal(Int(10_000), h.Run("PTTL", "k"));
        h.NowMs += 9_999;
        Assert.Equal(Int(1), h.Run("PTTL", "k"));
        h.NowMs += 1;
        Assert.Equal(Int(-2), h.Run("TTL", "k"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "10"));
    }

    [Fact]
    public void Pexpire_expireat_and_pexpireat_set_absolute_times()
    {
        using var h = new EngineHarness();
        long now = h.NowMs;
        h.Run("MSET", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Int(1), h.Run("PEXPIRE", "a", "1500"));
        Assert.Equal(Int(now + 1500), h.Run("PEXPIRETIME", "a"));
        Assert.Equal(Int(1), h.Run("EXPIREAT", "b", ((now / 1000) + 100).ToString()));
        Assert.Equal(Int(((now / 1000) + 100) * 1000), h.Run("PEXPIRETIME", "b"));
        Assert.Equal(Int((now / 1000) + 100), h.Run("EXPIRETIME", "b"));
        Assert.Equal(Int(1), h.Run("PEXPIREAT", "c", (now + 12_345).ToString()));
        Assert.Equal(Int(now + 12_345), h.Run("PEXPIRETIME", "c"));
    }

    [Fact]
    public void A_time_in_the_past_deletes_the_key_and_returns_one()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Int(1), h.Run("EXPIRE", "a", "-1"));
        Assert.Equal(Int(1), h.Run("PEXPIRE", "b", "0"));
        Assert.Equal(Int(1), h.Run("EXPIREAT", "c", "0"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        Assert.Equal(0, h.Machine.Database.ExpiringCount);
    }

    [Fact]
    public void Ttl_rounds_to_the_nearest_second_and_reports_missing_and_persistent_keys()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(-2), h.Run("TTL", "k"));
        Assert.Equal(Int(-2), h.Run("PTTL", "k"));
        Assert.Equal(Int(-2), h.Run("EXPIRETIME", "k"));
        Assert.Equal(Int(-2), h.Run("PEXPIRETIME", "k"));
        h.Run("SET", "k", "v");
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(Int(-1), h.Run("PTTL", "k"));
        Assert.Equal(Int(-1), h.Run("EXPIRETIME", "k"));
        Assert.Equal(Int(-1), h.Run("PEXPIRETIME", "k"));
        h.Run("PEXPIRE", "k", "1499");
        Assert.Equal(Int(1), h.Run("TTL", "k"));
        h.Run("PEXPIRE", "k", "1500");
        Assert.Equal(Int(2), h.Run("TTL", "k"));
        h.Run("PEXPIREAT", "k", "1700000001500");
        Assert.Equal(Int(1700000002), h.Run("EXPIRETIME", "k"));
    }

    [Fact]
    public void Persist_removes_a_ttl_once()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("PERSIST", "k"));
        h.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(Int(1), h.Run("PERSIST", "k"));
        Assert.Equal(Int(0), h.Run("PERSIST", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(0, h.Machine.Database.ExpiringCount);
    }

    [Fact]
    public void Nx_and_xx_depend_on_whether_a_ttl_exists()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100", "XX"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "100", "NX"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "300", "nx"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "300", "xx"));
        Assert.Equal(Int(300), h.Run("TTL", "k"));
    }

    [Fact]
    public void Gt_and_lt_treat_no_ttl_as_infinite()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100", "GT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "100", "LT"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "50", "GT"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100", "GT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "200", "GT"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "200", "LT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "150", "LT", "XX"));
        Assert.Equal(Int(150), h.Run("TTL", "k"));
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("NX", "GT")]
    [InlineData("LT", "NX")]
    [InlineData("NX", "XX", "GT", "LT")]
    public void Nx_with_another_condition_is_refused(params string[] options)
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Err("ERR NX and XX, GT or LT options at the same time are not compatible"), h.Run(["EXPIRE", "k", "10", .. options]));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Fact]
    public void Gt_with_lt_and_unknown_options_are_refused()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Err("ERR GT and LT options at the same time are not compatible"), h.Run("PEXPIRE", "k", "10", "GT", "LT"));
        Assert.Equal(Err("ERR Unsupported option foo"), h.Run("EXPIRE", "k", "10", "foo"));
        Assert.Equal(Err("ERR Unsupported option foo"), h.Run("EXPIRE", "k", "notanumber", "foo"));
        Assert.Equal(NotInteger, h.Run("EXPIRE", "k", "ten"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Theory]
    [InlineData("EXPIRE", "9223372036854775807")]
    [InlineData("EXPIRE", "-9223372036854775807")]
    [InlineData("EXPIRE", "9223372036854775")]
    [InlineData("PEXPIRE", "9223372036854775807")]
    [InlineData("EXPIREAT", "9223372036854775807")]
    public void Overflowing_times_are_invalid(string command, string time)
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Err($"ERR invalid expire time in '{command.ToLowerInvariant()}' command"), h.Run(command, "k", time));
        Assert.Equal(Err($"ERR invalid expire time in '{command.ToLowerInvariant()}' command"), h.Run(command, "missing", time));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Fact]
    public void The_largest_valid_times_are_accepted()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "a", "1", "b", "2");
        Assert.Equal(Int(1), h.Run("PEXPIREAT", "a", "9223372036854775807"));
        Assert.Equal(Int(9223372036854775807), h.Run("PEXPIRETIME", "a"));
        Assert.Equal(Int(1), h.Run("EXPIREAT", "b", "9223372036854775"));
        Assert.Equal(Int(9223372036854775000), h.Run("PEXPIRETIME", "b"));
    }

    [Fact]
    public void Expire_on_an_expired_key_sees_it_absent()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v", "PX", "10");
        h.NowMs += 10;
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100"));
        Assert.Equal(Int(0), h.Run("PERSIST", "k"));
        Assert.Equal(Int(-2), h.Run("TTL", "k"));
    }

    [Fact]
    public void Expire_works_on_collections()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l");
        Assert.Equal(Int(1), h.Run("EXPIRE", "l", "5"));
        Assert.Equal(Int(5), h.Run("TTL", "l"));
        h.NowMs += 5000;
        Assert.Equal("+none\r\n", h.Run("TYPE", "l"));
    }
}
