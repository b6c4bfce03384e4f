using System.Buffers;
using System.Text;
using Lattice.Resp;
using static Lattice.Engine.Tests.KeyTestSupport;

namespace Lattice.Engine.Tests;

public sealed class StringCommandTests
{
    [Fact]
    public void Get_returns_the_value_or_nil()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "hello"));
        Assert.Equal(Bulk("hello"), h.Run("GET", "k"));
    }

    [Fact]
    public void Get_on_a_collection_is_wrongtype()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("GET", "l"));
    }

    [Fact]
    public void Get_of_a_missing_key_is_a_resp3_null()
    {
        using var h = new EngineHarness(protocol: 3);
        Assert.Equal("_\r\n", h.Run("GET", "k"));
        Assert.Equal("*2\r\n_\r\n_\r\n", h.Run("MGET", "a", "b"));
    }

    [Fact]
    public void Get_does_not_allocate()
    {
        using var machine = new KeyValueStateMachine();
        machine.Database.Set("k"u8, "value"u8.ToArray());
        HandlerAllocation.AssertNone(machine, 1_700_000_000_000, Encode("GET", "k"), "$5\r\nvalue\r\n");
    }

    [Fact]
    public void Overwriting_a_string_with_one_of_the_same_length_does_not_allocate()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "value");
        h.Run("SET", "n", "10");
        HandlerAllocation.AssertNone(h.Machine, h.NowMs, Encode("SET", "k", "other"), "+OK\r\n", asWrite: true);
        Assert.Equal(Bulk("other"), h.Run("GET", "k"));
        HandlerAllocation.AssertNone(h.Machine, h.NowMs, Encode("MSET", "k", "third", "n", "42"), "+OK\r\n", asWrite: true);
        Assert.Equal(Bulk("third"), h.Run("GET", "k"));
        HandlerAllocation.AssertNone(h.Machine, h.NowMs, Encode("INCRBY", "n", "0"), ":42\r\n", asWrite: true);
    }

    [Fact]
    public void Set_replaces_any_value_and_clears_the_ttl()
    {
        using var h = new EngineHarness();
        PutCollection(h, "k");
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EX", "100"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "w"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(Bulk("w"), h.Run("GET", "k"));
    }

    [Fact]
    public void Set_expiry_options_set_absolute_times()
    {
        using var h = new EngineHarness();
        long now = h.NowMs;
        Assert.Equal(Ok, h.Run("SET", "a", "v", "EX", "10"));
        Assert.Equal(Int(now + 10_000), h.Run("PEXPIRETIME", "a"));
        Assert.Equal(Ok, h.Run("SET", "b", "v", "px", "1500"));
        Assert.Equal(Int(1500), h.Run("PTTL", "b"));
        Assert.Equal(Ok, h.Run("SET", "c", "v", "EXAT", ((now / 1000) + 50).ToString()));
        Assert.Equal(Int(((now / 1000) + 50) * 1000), h.Run("PEXPIRETIME", "c"));
        Assert.Equal(Ok, h.Run("SET", "d", "v", "PXAT", (now + 777).ToString()));
        Assert.Equal(Int(now + 777), h.Run("PEXPIRETIME", "d"));
        Assert.Equal(Ok, h.Run("SET", "e", "v", "EX", "10", "EX", "20"));
        Assert.Equal(Int(20), h.Run("TTL", "e"));
    }

    [Fact]
    public void Set_with_a_time_in_the_past_leaves_no_key()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "old");
        Assert.Equal(Ok, h.Run("SET", "k", "v", "PXAT", (h.NowMs - 1).ToString()));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EXAT", "1"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Set_expires_when_the_clock_passes()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v", "PX", "100");
        h.NowMs += 99;
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        h.NowMs += 1;
        Assert.Equal(Nil, h.Run("GET", "k"));
    }

    [Fact]
    public void Set_nx_and_xx_gate_the_write()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("SET", "k", "v", "XX"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "v", "NX"));
        Assert.Equal(Nil, h.Run("SET", "k", "w", "nx"));
        Assert.Equal(Ok, h.Run("SET", "k", "w", "XX"));
        Assert.Equal(Bulk("w"), h.Run("GET", "k"));
        Assert.Equal(Nil, h.Run("SET", "k", "x", "NX", "NX"));
    }

    [Fact]
    public void Set_keepttl_keeps_the_old_expiry()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v", "EX", "100");
        h.NowMs += 10_000;
        Assert.Equal(Ok, h.Run("SET", "k", "w", "KEEPTTL"));
        Assert.Equal(Int(90), h.Run("TTL", "k"));
        Assert.Equal(Bulk("w"), h.Run("GET", "k"));
    }

    [Fact]
    public void Set_get_returns_the_old_value()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("SET", "k", "v", "GET"));
        Assert.Equal(Bulk("v"), h.Run("SET", "k", "w", "GET"));
        Assert.Equal(Bulk("w"), h.Run("GET", "k"));
        Assert.Equal(Bulk("w"), h.Run("SET", "k", "x", "GET", "GET"));
    }

    [Fact]
    public void Set_nx_get_replies_the_old_value_and_writes_only_when_absent()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("SET", "k", "v", "NX", "GET"));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Bulk("v"), h.Run("SET", "k", "w", "GET", "NX"));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Nil, h.Run("SET", "n", "w", "XX", "GET"));
        Assert.Equal(Int(0), h.Run("EXISTS", "n"));
    }

    [Fact]
    public void Set_get_on_a_collection_is_wrongtype_and_changes_nothing()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("SET", "l", "v", "GET"));
        Assert.Equal(WrongType, h.Run("SET", "l", "v", "NX", "GET"));
        Assert.Equal("+list\r\n", h.Run("TYPE", "l"));
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("XX", "NX")]
    [InlineData("EX", "10", "PX", "100")]
    [InlineData("PX", "10", "EXAT", "100")]
    [InlineData("EXAT", "10", "PXAT", "100")]
    [InlineData("KEEPTTL", "EX", "1")]
    [InlineData("PXAT", "1", "KEEPTTL")]
    [InlineData("EX")]
    [InlineData("NX", "PX")]
    [InlineData("FOO")]
    [InlineData("PERSIST")]
    public void Set_with_conflicting_or_unknown_options_is_a_syntax_error(params string[] options)
    {
        using var h = new EngineHarness();
        Assert.Equal(Syntax, h.Run(["SET", "k", "v", .. options]));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("EX", "-1")]
    [InlineData("PX", "0")]
    [InlineData("EXAT", "-5")]
    [InlineData("PXAT", "0")]
    [InlineData("EX", "9223372036854775")]
    [InlineData("PX", "9223372036854775807")]
    [InlineData("EXAT", "9223372036854776")]
    public void Set_with_an_invalid_expire_time_is_refused(string option, string time)
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), h.Run("SET", "k", "v", option, time));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Set_checks_the_time_before_the_type()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l");
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), h.Run("SET", "l", "v", "GET", "EX", "0"));
        Assert.Equal(NotInteger, h.Run("SET", "k", "v", "EX", "ten"));
        Assert.Equal(NotInteger, h.Run("SET", "k", "v", "EX", "01"));
    }

    [Fact]
    public void Set_accepts_the_largest_absolute_second()
    {
        using var h = new EngineHarness();
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EXAT", "9223372036854775"));
        Assert.Equal(Int(9223372036854775000), h.Run("PEXPIRETIME", "k"));
    }

    [Fact]
    public void Setnx_sets_only_a_missing_or_expired_key()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(1), h.Run("SETNX", "k", "v"));
        Assert.Equal(Int(0), h.Run("SETNX", "k", "w"));
        PutCollection(h, "l");
        Assert.Equal(Int(0), h.Run("SETNX", "l", "w"));
        h.Run("SET", "t", "v", "PX", "5");
        h.NowMs += 5;
        Assert.Equal(Int(1), h.Run("SETNX", "t", "w"));
        Assert.Equal(Int(-1), h.Run("TTL", "t"));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
    }

    [Fact]
    public void Setex_and_psetex_set_value_and_ttl()
    {
        using var h = new EngineHarness();
        Assert.Equal(Ok, h.Run("SETEX", "a", "10", "v"));
        Assert.Equal(Int(10_000), h.Run("PTTL", "a"));
        Assert.Equal(Ok, h.Run("PSETEX", "b", "250", "w"));
        Assert.Equal(Int(250), h.Run("PTTL", "b"));
        Assert.Equal(Bulk("w"), h.Run("GET", "b"));
        PutCollection(h, "l");
        Assert.Equal(Ok, h.Run("SETEX", "l", "5", "s"));
        Assert.Equal(Bulk("s"), h.Run("GET", "l"));
    }

    [Fact]
    public void Setex_with_a_bad_time_is_refused()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR invalid expire time in 'setex' command"), h.Run("SETEX", "k", "0", "v"));
        Assert.Equal(Err("ERR invalid expire time in 'psetex' command"), h.Run("PSETEX", "k", "-3", "v"));
        Assert.Equal(Err("ERR invalid expire time in 'setex' command"), h.Run("SETEX", "k", "9223372036854775807", "v"));
        Assert.Equal(NotInteger, h.Run("SETEX", "k", "x", "v"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Getset_returns_the_old_value_and_clears_the_ttl()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("GETSET", "k", "v"));
        h.Run("EXPIRE", "k", "100");
        Assert.Equal(Bulk("v"), h.Run("GETSET", "k", "w"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("GETSET", "l", "w"));
    }

    [Fact]
    public void Getdel_returns_and_removes_a_string()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("GETDEL", "k"));
        h.Run("SET", "k", "v");
        Assert.Equal(Bulk("v"), h.Run("GETDEL", "k"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("GETDEL", "l"));
        Assert.Equal(Int(1), h.Run("EXISTS", "l"));
    }

    [Fact]
    public void Getex_changes_the_expiry_as_asked()
    {
        using var h = new EngineHarness();
        long now = h.NowMs;
        h.Run("SET", "k", "v");
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "EX", "100"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "PX", "500"));
        Assert.Equal(Int(500), h.Run("PTTL", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "EXAT", ((now / 1000) + 30).ToString()));
        Assert.Equal(Int(((now / 1000) + 30) * 1000), h.Run("PEXPIRETIME", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "PXAT", (now + 42).ToString()));
        Assert.Equal(Int(now + 42), h.Run("PEXPIRETIME", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "PERSIST"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "EX", "10", "EX", "20"));
        Assert.Equal(Int(20), h.Run("TTL", "k"));
    }

    [Fact]
    public void Getex_with_a_past_absolute_time_deletes_the_key()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(Bulk("v"), h.Run("GETEX", "k", "EXAT", "1"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Getex_refuses_bad_options_before_looking_at_the_key()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l");
        Assert.Equal(Nil, h.Run("GETEX", "missing", "EX", "10"));
        Assert.Equal(Err("ERR invalid expire time in 'getex' command"), h.Run("GETEX", "missing", "EX", "0"));
        Assert.Equal(NotInteger, h.Run("GETEX", "missing", "PX", "abc"));
        Assert.Equal(Syntax, h.Run("GETEX", "l", "PERSIST", "EX", "10"));
        Assert.Equal(Syntax, h.Run("GETEX", "l", "GET"));
        Assert.Equal(Syntax, h.Run("GETEX", "l", "KEEPTTL"));
        Assert.Equal(Syntax, h.Run("GETEX", "l", "NX"));
        Assert.Equal(Syntax, h.Run("GETEX", "l", "EX"));
        Assert.Equal(WrongType, h.Run("GETEX", "l", "EX", "10"));
        Assert.Equal(WrongType, h.Run("GETEX", "l"));
        Assert.Equal(Int(-1), h.Run("TTL", "l"));
    }

    [Fact]
    public void Mget_returns_nil_for_missing_and_non_string_keys()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "1");
        PutCollection(h, "l");
        Assert.Equal(Array(Bulk("1"), Nil, Nil, Bulk("1")), h.Run("MGET", "a", "l", "none", "a"));
    }

    [Fact]
    public void Mset_sets_every_pair_and_the_last_repeat_wins()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "old", "EX", "100");
        PutCollection(h, "l");
        Assert.Equal(Ok, h.Run("MSET", "a", "1", "l", "2", "a", "3"));
        Assert.Equal(Array(Bulk("3"), Bulk("2")), h.Run("MGET", "a", "l"));
        Assert.Equal(Int(-1), h.Run("TTL", "a"));
    }

    [Fact]
    public void Mset_with_an_odd_count_is_an_arity_error()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR wrong number of arguments for 'mset' command"), h.Run("MSET", "a", "1", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'msetnx' command"), h.Run("MSETNX", "a", "1", "b"));
        Assert.Equal(Int(0), h.Run("EXISTS", "a"));
    }

    [Fact]
    public void Msetnx_sets_all_or_nothing()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(1), h.Run("MSETNX", "a", "1", "b", "2"));
        Assert.Equal(Int(0), h.Run("MSETNX", "c", "3", "a", "x"));
        Assert.Equal(Array(Bulk("1"), Bulk("2"), Nil), h.Run("MGET", "a", "b", "c"));
        PutCollection(h, "l");
        Assert.Equal(Int(0), h.Run("MSETNX", "l", "x", "d", "y"));
        h.Run("SET", "t", "v", "PX", "1");
        h.NowMs++;
        Assert.Equal(Int(1), h.Run("MSETNX", "t", "x"));
    }

    [Fact]
    public void Append_creates_extends_and_keeps_the_ttl()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(5), h.Run("APPEND", "k", "hello"));
        h.Run("EXPIRE", "k", "100");
        Assert.Equal(Int(11), h.Run("APPEND", "k", " world"));
        Assert.Equal(Bulk("hello world"), h.Run("GET", "k"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(Int(0), h.Run("APPEND", "e", ""));
        Assert.Equal(Int(1), h.Run("EXISTS", "e"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("APPEND", "l", "x"));
    }

    [Fact]
    public void Append_to_an_expired_key_starts_afresh()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "old", "PX", "10");
        h.NowMs += 10;
        Assert.Equal(Int(3), h.Run("APPEND", "k", "new"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Fact]
    public void Append_and_setrange_refuse_to_exceed_the_string_limit()
    {
        using var machine = new KeyValueStateMachine();
        long now = 1_700_000_000_000;
        Assert.Equal(Int(8), RunWithLimit(machine, 10, now, "APPEND", "k", "12345678"));
        Assert.Equal(Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), RunWithLimit(machine, 10, now, "APPEND", "k", "abc"));
        Assert.Equal(Int(10), RunWithLimit(machine, 10, now, "APPEND", "k", "ab"));
        Assert.Equal(Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), RunWithLimit(machine, 10, now, "SETRANGE", "k", "10", "x"));
        Assert.Equal(Int(10), RunWithLimit(machine, 10, now, "SETRANGE", "k", "9", "x"));
        Assert.Equal(Int(10), RunWithLimit(machine, 10, now, "SETRANGE", "k", "100", ""));
    }

    [Fact]
    public void Strlen_counts_bytes()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("STRLEN", "k"));
        h.Run("SET", "k", "héllo");
        Assert.Equal(Int(6), h.Run("STRLEN", "k"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("STRLEN", "l"));
    }

    [Theory]
    [InlineData("0", "-1", "hello")]
    [InlineData("0", "-100", "h")]
    [InlineData("-1", "-5", "")]
    [InlineData("-100", "-3", "hel")]
    [InlineData("3", "1", "")]
    [InlineData("0", "100", "hello")]
    [InlineData("-3", "-1", "llo")]
    [InlineData("1", "3", "ell")]
    [InlineData("5", "10", "")]
    [InlineData("-9223372036854775808", "9223372036854775807", "hello")]
    public void Getrange_follows_redis_index_rules(string start, string end, string expected)
    {
        using var h = new EngineHarness();
        h.Run("SET", "s", "hello");
        Assert.Equal(Bulk(expected), h.Run("GETRANGE", "s", start, end));
    }

    [Fact]
    public void Getrange_of_missing_key_is_empty_and_checks_its_arguments()
    {
        using var h = new EngineHarness();
        Assert.Equal(EmptyBulk, h.Run("GETRANGE", "none", "0", "10"));
        Assert.Equal(NotInteger, h.Run("GETRANGE", "none", "a", "1"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("GETRANGE", "l", "0", "1"));
        h.Run("SET", "e", "");
        Assert.Equal(EmptyBulk, h.Run("GETRANGE", "e", "0", "-1"));
    }

    [Fact]
    public void Setrange_overwrites_and_pads_with_zero_bytes()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(5), h.Run("SETRANGE", "k", "3", "ab"));
        Assert.Equal("$5\r\n\0\0\0ab\r\n", h.Run("GET", "k"));
        h.Run("SET", "s", "Hello World");
        h.Run("EXPIRE", "s", "100");
        Assert.Equal(Int(11), h.Run("SETRANGE", "s", "6", "Redis"));
        Assert.Equal(Bulk("Hello Redis"), h.Run("GET", "s"));
        Assert.Equal(Int(100), h.Run("TTL", "s"));
        Assert.Equal(Int(13), h.Run("SETRANGE", "s", "11", "!!"));
        Assert.Equal(Bulk("Hello Redis!!"), h.Run("GET", "s"));
    }

    [Fact]
    public void Setrange_with_nothing_to_write_creates_nothing()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("SETRANGE", "k", "10", ""));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        h.Run("SET", "s", "abc");
        Assert.Equal(Int(3), h.Run("SETRANGE", "s", "536870912", ""));
    }

    [Fact]
    public void Setrange_refuses_bad_offsets_and_types()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR offset is out of range"), h.Run("SETRANGE", "k", "-1", "x"));
        Assert.Equal(NotInteger, h.Run("SETRANGE", "k", "x", "x"));
        Assert.Equal(Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), h.Run("SETRANGE", "k", "536870912", "x"));
        Assert.Equal(Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), h.Run("SETRANGE", "k", "9223372036854775807", "x"));
        PutCollection(h, "l");
        Assert.Equal(WrongType, h.Run("SETRANGE", "l", "0", "x"));
        Assert.Equal(WrongType, h.Run("SETRANGE", "l", "0", ""));
    }

    [Fact]
    public void String_writes_during_a_snapshot_build_new_arrays_so_it_keeps_the_old_values()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "one");
        h.Run("SET", "b", "two");
        h.Run("SET", "c", "5");
        h.Run("SET", "e", "old");
        h.Run("SET", "f", "abc");
        DatabaseSnapshot snapshot = h.Machine.Database.BeginSnapshot();
        h.Run("APPEND", "a", "!");
        h.Run("SETRANGE", "b", "0", "T");
        h.Run("INCR", "c");
        h.Run("SET", "d", "new");

        // Same-length writes, which overwrite in place when no snapshot is running.
        h.Run("SET", "e", "NEW");
        h.Run("MSET", "f", "xyz");
        var fresh = new Database();
        using (var stream = new MemoryStream())
        {
            SnapshotCodec.Write(stream, snapshot, 4);
            stream.Position = 0;
            SnapshotCodec.Read(stream, fresh);
        }

        h.Machine.Database.EndSnapshot();
        Assert.Equal(Bulk("one!"), h.Run("GET", "a"));
        Assert.Equal("one"u8.ToArray(), fresh.Read("a"u8, h.NowMs));
        Assert.Equal("two"u8.ToArray(), fresh.Read("b"u8, h.NowMs));
        Assert.Equal("5"u8.ToArray(), fresh.Read("c"u8, h.NowMs));
        Assert.Null(fresh.Read("d"u8, h.NowMs));
        Assert.Equal("old"u8.ToArray(), fresh.Read("e"u8, h.NowMs));
        Assert.Equal("abc"u8.ToArray(), fresh.Read("f"u8, h.NowMs));
        Assert.Equal(Bulk("NEW"), h.Run("GET", "e"));
        Assert.Equal(Bulk("xyz"), h.Run("GET", "f"));
    }

    [Fact]
    public void Strings_round_trip_through_a_snapshot_with_their_ttls()
    {
        using var h = new EngineHarness();
        h.Run("SET", "plain", "v");
        h.Run("SET", "ttl", "w", "PX", "5000");
        h.Run("SET", "empty", "");
        h.Run("SET", Encoding.UTF8.GetString([0xC3, 0xA9]), "binary");
        Database database = h.Machine.Database;
        DatabaseSnapshot snapshot = database.BeginSnapshot();
        var fresh = new Database(hashSeed: 7);
        using (var stream = new MemoryStream())
        {
            SnapshotCodec.Write(stream, snapshot, h.Machine.AppliedIndex);
            stream.Position = 0;
            Assert.Equal(h.Machine.AppliedIndex, SnapshotCodec.Read(stream, fresh));
        }

        database.EndSnapshot();
        Assert.Equal(Contents(database, h.NowMs), Contents(fresh, h.NowMs));
        Assert.Equal(h.NowMs + 5000, fresh.GetExpireAt("ttl"u8));
    }
}
