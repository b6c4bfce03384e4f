using System.Buffers;
using System.Text;
using Lattice.Resp;
using static Lattice.Engine.Tests.HashListReplies;

namespace Lattice.Engine.Tests;

public sealed class HashCommandTests
{
    [Fact]
    public void Hset_sets_many_pairs_and_counts_only_new_fields()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(2), h.Run("HSET", "h", "a", "1", "b", "2"));
        Assert.Equal(Int(1), h.Run("HSET", "h", "a", "3", "c", "4"));
        Assert.Equal(Bulk("3"), h.Run("HGET", "h", "a"));
        Assert.Equal(Int(3), h.Run("HLEN", "h"));
    }

    [Fact]
    public void Hset_with_a_field_missing_its_value_is_an_arity_error_and_creates_nothing()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR wrong number of arguments for 'hset' command"), h.Run("HSET", "h", "a", "1", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'hmset' command"), h.Run("HMSET", "h", "a", "1", "b"));
        Assert.Equal(Int(0), h.Run("EXISTS", "h"));
    }

    [Fact]
    public void Hmset_replies_ok()
    {
        using var h = new EngineHarness();
        Assert.Equal(Ok, h.Run("HMSET", "h", "a", "1", "b", "2"));
        Assert.Equal(Bulks("1", "2"), h.Run("HMGET", "h", "a", "b"));
    }

    [Fact]
    public void Hsetnx_sets_only_a_missing_field()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(1), h.Run("HSETNX", "h", "a", "1"));
        Assert.Equal(Int(0), h.Run("HSETNX", "h", "a", "2"));
        Assert.Equal(Bulk("1"), h.Run("HGET", "h", "a"));
    }

    [Fact]
    public void Hget_and_hmget_answer_nil_for_missing_fields_and_keys()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("HGET", "h", "a"));
        Assert.Equal(Array(Nil, Nil), h.Run("HMGET", "h", "a", "b"));
        h.Run("HSET", "h", "a", "1");
        Assert.Equal(Nil, h.Run("HGET", "h", "zz"));
        Assert.Equal(Array(Bulk("1"), Nil), h.Run("HMGET", "h", "a", "zz"));
        h.Protocol = 3;
        Assert.Equal(Resp3Null, h.Run("HGET", "h", "zz"));
    }

    [Fact]
    public void Hdel_removes_many_fields_and_deletes_the_emptied_key()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Int(2), h.Run("HDEL", "h", "a", "a", "b", "zz"));
        Assert.Equal(Int(0), h.Run("HDEL", "nokey", "a"));
        Assert.Equal(Int(1), h.Run("HDEL", "h", "c"));
        Assert.Equal(Int(0), h.Run("EXISTS", "h"));
    }

    [Fact]
    public void Hgetall_is_a_flat_array_in_resp2_and_a_map_in_resp3()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1");
        Assert.Equal(Bulks("a", "1"), h.Run("HGETALL", "h"));
        Assert.Equal(EmptyArray, h.Run("HGETALL", "nokey"));
        h.Protocol = 3;
        Assert.Equal("%1\r\n" + Bulk("a") + Bulk("1"), h.Run("HGETALL", "h"));
        Assert.Equal("%0\r\n", h.Run("HGETALL", "nokey"));
    }

    [Fact]
    public void Hkeys_hvals_hlen_and_hexists_describe_the_hash()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(new[] { "a", "b" }, BulksIn(h.Run("HKEYS", "h")).Order());
        Assert.Equal(new[] { "1", "2" }, BulksIn(h.Run("HVALS", "h")).Order());
        Assert.Equal(EmptyArray, h.Run("HKEYS", "nokey"));
        Assert.Equal(EmptyArray, h.Run("HVALS", "nokey"));
        Assert.Equal(Int(2), h.Run("HLEN", "h"));
        Assert.Equal(Int(0), h.Run("HLEN", "nokey"));
        Assert.Equal(Int(1), h.Run("HEXISTS", "h", "a"));
        Assert.Equal(Int(0), h.Run("HEXISTS", "h", "zz"));
        Assert.Equal(Int(0), h.Run("HEXISTS", "nokey", "a"));
    }

    [Fact]
    public void Hstrlen_is_the_value_length_or_zero()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "s", "foo");
        Assert.Equal(Int(3), h.Run("HSTRLEN", "h", "s"));
        Assert.Equal(Int(0), h.Run("HSTRLEN", "h", "zz"));
        Assert.Equal(Int(0), h.Run("HSTRLEN", "nokey", "s"));
    }

    [Theory]
    [InlineData("HSET", "a", "1")]
    [InlineData("HMSET", "a", "1")]
    [InlineData("HSETNX", "a", "1")]
    [InlineData("HGET", "a")]
    [InlineData("HMGET", "a")]
    [InlineData("HDEL", "a")]
    [InlineData("HGETALL")]
    [InlineData("HKEYS")]
    [InlineData("HVALS")]
    [InlineData("HLEN")]
    [InlineData("HEXISTS", "a")]
    [InlineData("HSTRLEN", "a")]
    [InlineData("HINCRBY", "a", "1")]
    [InlineData("HINCRBYFLOAT", "a", "1")]
    [InlineData("HSCAN", "0")]
    [InlineData("HRANDFIELD")]
    [InlineData("HRANDFIELD", "2", "WITHVALUES")]
    public void Hash_commands_on_a_string_are_wrongtype(string command, params string[] rest)
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(WrongType, h.Run([command, "k", .. rest]));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
    }

    [Fact]
    public void Hincrby_adds_to_a_field_creating_hash_and_field()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(5), h.Run("HINCRBY", "h", "n", "5"));
        Assert.Equal(Int(-2), h.Run("HINCRBY", "h", "n", "-7"));
        Assert.Equal(Bulk("-2"), h.Run("HGET", "h", "n"));
    }

    [Fact]
    public void Hincrby_on_a_non_integer_field_is_refused()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "s", "foo", "sp", " 1", "f", "1.5");
        Assert.Equal(Err("ERR hash value is not an integer"), h.Run("HINCRBY", "h", "s", "1"));
        Assert.Equal(Err("ERR hash value is not an integer"), h.Run("HINCRBY", "h", "sp", "1"));
        Assert.Equal(Err("ERR hash value is not an integer"), h.Run("HINCRBY", "h", "f", "1"));
        Assert.Equal(NotInteger, h.Run("HINCRBY", "h", "n", "abc"));
        Assert.Equal(NotInteger, h.Run("HINCRBY", "h", "n", "00"));
    }

    [Fact]
    public void Hincrby_refuses_to_overflow_either_way()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "big", "9223372036854775807", "small", "-9223372036854775808");
        Assert.Equal(Err("ERR increment or decrement would overflow"), h.Run("HINCRBY", "h", "big", "1"));
        Assert.Equal(Err("ERR increment or decrement would overflow"), h.Run("HINCRBY", "h", "small", "-1"));
        Assert.Equal(Int(-1), h.Run("HINCRBY", "h", "small", "9223372036854775807"));
        Assert.Equal(Bulk("9223372036854775807"), h.Run("HGET", "h", "big"));
    }

    [Fact]
    public void Hincrbyfloat_adds_in_long_double_precision_as_redis()
    {
        using var h = new EngineHarness();
        Assert.Equal(Bulk("5000"), h.Run("HINCRBYFLOAT", "h", "q", "5.0e3"));
        Assert.Equal(Bulk("5000.10000000000000009"), h.Run("HINCRBYFLOAT", "h", "q", "0.1"));
        h.Run("HSET", "h", "a", "3");
        Assert.Equal(Bulk("4.5"), h.Run("HINCRBYFLOAT", "h", "a", "1.5"));
        Assert.Equal(Bulk("4.5"), h.Run("HGET", "h", "a"));
    }

    [Fact]
    public void Hincrbyfloat_refuses_bad_numbers_and_infinite_results()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "s", "foo", "a", "1", "inf", "inf");
        Assert.Equal(Err("ERR hash value is not a float"), h.Run("HINCRBYFLOAT", "h", "s", "1"));
        Assert.Equal(Err("ERR value is not a valid float"), h.Run("HINCRBYFLOAT", "h", "a", "abc"));
        Assert.Equal(Err("ERR value is not a valid float"), h.Run("HINCRBYFLOAT", "h", "a", "nan"));
        Assert.Equal(Err("ERR value is NaN or Infinity"), h.Run("HINCRBYFLOAT", "h", "a", "inf"));
        Assert.Equal(Err("ERR increment would produce NaN or Infinity"), h.Run("HINCRBYFLOAT", "h", "inf", "1"));
        Assert.Equal(Bulk("1"), h.Run("HGET", "h", "a"));
    }

    [Fact]
    public void Hscan_returns_a_small_hash_whole_with_cursor_zero()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1", "b", "2", "c", "3");
        string reply = h.Run("HSCAN", "h", "0", "COUNT", "1");
        Assert.StartsWith("*2\r\n$1\r\n0\r\n*6\r\n", reply, StringComparison.Ordinal);
        Assert.Equal(new[] { "0", "1", "2", "3", "a", "b", "c" }, BulksIn(reply).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hscan_match_and_novalues_filter_the_reply()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a1", "1", "b1", "2", "a2", "3");
        List<string> matched = BulksIn(h.Run("HSCAN", "h", "0", "MATCH", "a*"));
        Assert.Equal(new[] { "0", "1", "3", "a1", "a2" }, matched.Order());
        List<string> fieldsOnly = BulksIn(h.Run("HSCAN", "h", "0", "NOVALUES", "MATCH", "a*", "COUNT", "5"));
        Assert.Equal(new[] { "0", "a1", "a2" }, fieldsOnly.Order());
    }

    [Fact]
    public void Hscan_walks_a_large_hash_by_slot_cursor_and_sees_every_field_once()
    {
        using var h = new EngineHarness();
        var expected = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            h.Run("HSET", "h", $"f{i}", $"v{i}");
            expected.Add($"f{i}");
        }

        var seen = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            List<string> bulks = BulksIn(h.Run("HSCAN", "h", cursor, "COUNT", "7", "NOVALUES"));
            cursor = bulks[0];
            seen.AddRange(bulks.Skip(1));
            Assert.True(bulks.Count - 1 <= 7);
            Assert.True(++calls < 1000);
        }
        while (cursor != "0");

        Assert.Equal(expected.Order(), seen.Order());
        Assert.True(calls > 40);
    }

    [Fact]
    public void Hscan_checks_cursor_then_key_then_options()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1");
        h.Run("SET", "str", "x");
        Assert.Equal(Err("ERR invalid cursor"), h.Run("HSCAN", "h", "abc"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("HSCAN", "h", " 0"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("HSCAN", "h", "18446744073709551616"));
        Assert.StartsWith("*2\r\n$1\r\n0\r\n", h.Run("HSCAN", "h", "18446744073709551615"), StringComparison.Ordinal);
        Assert.Equal(Syntax, h.Run("HSCAN", "h", "0", "COUNT", "0"));
        Assert.Equal(Syntax, h.Run("HSCAN", "h", "0", "MATCH"));
        Assert.Equal(Syntax, h.Run("HSCAN", "h", "0", "TYPE", "hash"));
        Assert.Equal(NotInteger, h.Run("HSCAN", "h", "0", "COUNT", "x"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("HSCAN", "nokey", "0", "COUNT", "0"));
        Assert.Equal(WrongType, h.Run("HSCAN", "str", "0", "COUNT", "0"));
    }

    [Fact]
    public void Hrandfield_without_count_returns_one_field_or_nil()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("HRANDFIELD", "h"));
        h.Run("HSET", "h", "a", "1", "b", "2");
        Assert.Contains(BulksIn(h.Run("HRANDFIELD", "h")).Single(), new[] { "a", "b" });
    }

    [Fact]
    public void Hrandfield_with_a_positive_count_returns_distinct_fields()
    {
        using var h = new EngineHarness();
        for (int i = 0; i < 20; i++)
        {
            h.Run("HSET", "h", $"f{i}", $"v{i}");
        }

        for (int count = 1; count <= 25; count += 3)
        {
            List<string> fields = BulksIn(h.Run("HRANDFIELD", "h", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(Math.Min(count, 20), fields.Count);
            Assert.Equal(fields.Count, fields.Distinct().Count());
            Assert.All(fields, f => Assert.StartsWith("f", f, StringComparison.Ordinal));
        }

        List<string> pairs = BulksIn(h.Run("HRANDFIELD", "h", "3", "WITHVALUES"));
        Assert.Equal(6, pairs.Count);
        for (int i = 0; i < 6; i += 2)
        {
            Assert.Equal("v" + pairs[i][1..], pairs[i + 1]);
        }
    }

    [Fact]
    public void Hrandfield_with_a_negative_count_may_repeat_fields()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1");
        Assert.Equal(Bulks("a", "a", "a"), h.Run("HRANDFIELD", "h", "-3"));
        Assert.Equal(Bulks("a", "1", "a", "1"), h.Run("HRANDFIELD", "h", "-2", "WITHVALUES"));
        Assert.Equal(EmptyArray, h.Run("HRANDFIELD", "h", "0"));
        Assert.Equal(EmptyArray, h.Run("HRANDFIELD", "nokey", "3"));
    }

    [Fact]
    public void Hrandfield_withvalues_in_resp3_nests_pairs()
    {
        using var h = new EngineHarness(protocol: 3);
        h.Run("HSET", "h", "a", "1");
        Assert.Equal(Array(Bulks("a", "1")), h.Run("HRANDFIELD", "h", "5", "WITHVALUES"));
        Assert.Equal(Array(Bulks("a", "1"), Bulks("a", "1")), h.Run("HRANDFIELD", "h", "-2", "WITHVALUES"));
    }

    [Fact]
    public void Hrandfield_refuses_bad_counts_and_options()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1");
        Assert.Equal(NotInteger, h.Run("HRANDFIELD", "nokey", "abc"));
        Assert.Equal(Syntax, h.Run("HRANDFIELD", "h", "3", "WITHVALUE"));
        Assert.Equal(Syntax, h.Run("HRANDFIELD", "h", "1", "WITHVALUES", "x"));
        Assert.Equal(
            Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
            h.Run("HRANDFIELD", "h", "-9223372036854775808"));
        Assert.Equal(Err("ERR value is out of range"), h.Run("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"));
    }

    [Fact]
    public void A_write_to_an_expired_hash_starts_a_new_one_without_ttl()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "old", "1");
        h.Run("PEXPIRE", "h", "100");
        h.NowMs += 200;
        Assert.Equal(Nil, h.Run("HGET", "h", "old"));
        Assert.Equal(Int(1), h.Run("HSET", "h", "new", "2"));
        Assert.Equal(Int(1), h.Run("HLEN", "h"));
        Assert.Equal(Int(-1), h.Run("TTL", "h"));
        Assert.Equal(Int(7), h.Run("HINCRBY", "h", "new", "5"));
    }

    [Fact]
    public void Hash_writes_keep_the_key_ttl()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "a", "1");
        h.Run("EXPIRE", "h", "100");
        h.Run("HSET", "h", "b", "2");
        h.Run("HINCRBY", "h", "c", "1");
        h.Run("HDEL", "h", "a");
        Assert.Equal(Int(100), h.Run("TTL", "h"));
    }

    [Fact]
    public void Overwriting_a_field_with_a_value_of_the_same_length_does_not_allocate()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "field", "value", "f2", "v2");
        byte[] request = Encoding.ASCII.GetBytes("*6\r\n$4\r\nHSET\r\n$1\r\nh\r\n$5\r\nfield\r\n$5\r\nother\r\n$2\r\nf2\r\n$2\r\nw2\r\n");
        HandlerAllocation.AssertNone(h.Machine, h.NowMs, request, ":0\r\n", asWrite: true);
        Assert.Equal(Bulk("other"), h.Run("HGET", "h", "field"));
        Assert.Equal(Bulk("w2"), h.Run("HGET", "h", "f2"));
        Assert.Equal(Int(5), h.Run("HSTRLEN", "h", "field"));
    }

    [Fact]
    public void Hget_does_not_allocate()
    {
        using var h = new EngineHarness();
        h.Run("HSET", "h", "field", "value");
        byte[] request = Encoding.ASCII.GetBytes("*3\r\n$4\r\nHGET\r\n$1\r\nh\r\n$5\r\nfield\r\n");
        HandlerAllocation.AssertNone(h.Machine, h.NowMs, request, "$5\r\nvalue\r\n");
    }

    [Fact]
    public void Hash_commands_are_registered_with_group_flags_and_keys()
    {
        using var h = new EngineHarness();
        string[] writes = ["hset", "hmset", "hsetnx", "hdel", "hincrby", "hincrbyfloat"];
        string[] reads = ["hget", "hmget", "hgetall", "hlen", "hexists", "hkeys", "hvals", "hstrlen", "hscan", "hrandfield"];
        foreach (string name in writes.Concat(reads))
        {
            CommandSpec spec = h.Machine.Commands.Find(Encoding.ASCII.GetBytes(name))!;
            Assert.Equal("hash", spec.Group);
            Assert.Equal((1, 1, 1), (spec.FirstKey, spec.LastKey, spec.KeyStep));
            Assert.Equal(writes.Contains(name), spec.IsWrite);
            Assert.NotEmpty(spec.Summary);
        }
    }
}
