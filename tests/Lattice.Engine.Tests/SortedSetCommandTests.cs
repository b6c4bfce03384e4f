namespace Lattice.Engine.Tests;

public sealed class SortedSetCommandTests
{
    private const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    private const string Syntax = "-ERR syntax error\r\n";

    private static EngineHarness WithFive()
    {
        var h = new EngineHarness();
        h.Run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        return h;
    }

    [Fact]
    public void Zadd_counts_added_members_or_changed_ones_with_ch()
    {
        using var h = new EngineHarness();
        Assert.Equal(":2\r\n", h.Run("ZADD", "z", "1", "a", "2", "b"));
        Assert.Equal(":1\r\n", h.Run("ZADD", "z", "5", "a", "3", "c"));
        Assert.Equal(":2\r\n", h.Run("ZADD", "z", "CH", "6", "a", "3", "c", "1", "d"));
        Assert.Equal(":1\r\n", h.Run("ZADD", "z", "1", "x", "2", "x"));
        Assert.Equal(":2\r\n", h.Run("ZADD", "z", "ch", "3", "x", "4", "x"));
        Assert.Equal("$1\r\n4\r\n", h.Run("ZSCORE", "z", "x"));
        Assert.Equal(":5\r\n", h.Run("ZCARD", "z"));
    }

    [Fact]
    public void Zadd_nx_xx_gt_lt_choose_which_members_change()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "5", "a");
        Assert.Equal(":1\r\n", h.Run("ZADD", "z", "NX", "9", "a", "1", "b"));
        Assert.Equal("$1\r\n5\r\n", h.Run("ZSCORE", "z", "a"));
        Assert.Equal(":0\r\n", h.Run("ZADD", "z", "XX", "7", "a", "1", "new"));
        Assert.Equal("$1\r\n7\r\n", h.Run("ZSCORE", "z", "a"));
        Assert.Equal("$-1\r\n", h.Run("ZSCORE", "z", "new"));
        Assert.Equal(":2\r\n", h.Run("ZADD", "z", "GT", "CH", "6", "a", "2", "b", "0", "c"));
        Assert.Equal("$1\r\n7\r\n", h.Run("ZSCORE", "z", "a"));
        Assert.Equal(":2\r\n", h.Run("ZADD", "z", "LT", "CH", "1", "b", "8", "a", "9", "d"));
        Assert.Equal("$1\r\n1\r\n", h.Run("ZSCORE", "z", "b"));
        Assert.Equal("$1\r\n9\r\n", h.Run("ZSCORE", "z", "d"));
        Assert.Equal(":0\r\n", h.Run("ZADD", "missing", "XX", "1", "a"));
        Assert.Null(h.Machine.Database.Read("missing"u8, h.NowMs));
    }

    [Fact]
    public void Zadd_incr_replies_the_new_score_or_nil_when_blocked()
    {
        using var h = new EngineHarness();
        Assert.Equal("$3\r\n1.5\r\n", h.Run("ZADD", "z", "INCR", "1.5", "a"));
        Assert.Equal("$1\r\n4\r\n", h.Run("ZADD", "z", "incr", "2.5", "a"));
        Assert.Equal("$-1\r\n", h.Run("ZADD", "z", "NX", "INCR", "1", "a"));
        Assert.Equal("$-1\r\n", h.Run("ZADD", "z", "LT", "INCR", "1", "a"));
        Assert.Equal("$1\r\n9\r\n", h.Run("ZADD", "z", "GT", "INCR", "5", "a"));
        Assert.Equal("$-1\r\n", h.Run("ZADD", "z", "XX", "INCR", "1", "new"));
        h.Protocol = 3;
        Assert.Equal(",10\r\n", h.Run("ZADD", "z", "INCR", "1", "a"));
        Assert.Equal("_\r\n", h.Run("ZADD", "z", "NX", "INCR", "1", "a"));
    }

    [Theory]
    [InlineData("-ERR XX and NX options at the same time are not compatible\r\n", "XX", "NX", "1", "a")]
    [InlineData("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "GT", "LT", "1", "a")]
    [InlineData("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "NX", "GT", "1", "a")]
    [InlineData("-ERR INCR option supports a single increment-element pair\r\n", "INCR", "1", "a", "2", "b")]
    [InlineData("-ERR value is not a valid float\r\n", "1", "a", "x", "b")]
    [InlineData("-ERR value is not a valid float\r\n", "nan", "a")]
    [InlineData(Syntax, "NX", "1")]
    [InlineData(Syntax, "FOO", "1", "a")]
    [InlineData(Syntax, "1", "a", "2")]
    public void Zadd_refuses_bad_options_and_scores(string expected, params string[] rest)
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "1", "a");
        Assert.Equal(expected, h.Run(["ZADD", "z", .. rest]));
        Assert.Equal(":1\r\n", h.Run("ZCARD", "z"));
    }

    [Fact]
    public void An_increment_that_makes_nan_is_refused()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "inf", "a");
        Assert.Equal("-ERR resulting score is not a number (NaN)\r\n", h.Run("ZADD", "z", "INCR", "-inf", "a"));
        Assert.Equal("-ERR resulting score is not a number (NaN)\r\n", h.Run("ZINCRBY", "z", "-inf", "a"));
        Assert.Equal("$3\r\ninf\r\n", h.Run("ZSCORE", "z", "a"));
    }

    [Fact]
    public void Zincrby_adds_to_a_score_and_creates_missing_members()
    {
        using var h = new EngineHarness();
        Assert.Equal("$1\r\n2\r\n", h.Run("ZINCRBY", "z", "2", "a"));
        Assert.Equal("$3\r\n0.5\r\n", h.Run("ZINCRBY", "z", "-1.5", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", h.Run("ZINCRBY", "z", "x", "a"));
        h.Protocol = 3;
        Assert.Equal(",1.5\r\n", h.Run("ZINCRBY", "z", "1", "a"));
    }

    [Fact]
    public void Zscore_and_zmscore_use_doubles_and_nulls()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "0.1", "a", "-0", "zero", "1e20", "big");
        Assert.Equal("$3\r\n0.1\r\n", h.Run("ZSCORE", "z", "a"));
        Assert.Equal("$1\r\n0\r\n", h.Run("ZSCORE", "z", "zero"));
        Assert.Equal("$5\r\n1e+20\r\n", h.Run("ZSCORE", "z", "big"));
        Assert.Equal("$-1\r\n", h.Run("ZSCORE", "nope", "a"));
        Assert.Equal("*2\r\n$3\r\n0.1\r\n$-1\r\n", h.Run("ZMSCORE", "z", "a", "nope"));
        Assert.Equal("*1\r\n$-1\r\n", h.Run("ZMSCORE", "nope", "a"));
        h.Protocol = 3;
        Assert.Equal(",0.1\r\n", h.Run("ZSCORE", "z", "a"));
        Assert.Equal("*2\r\n,0.1\r\n_\r\n", h.Run("ZMSCORE", "z", "a", "nope"));
    }

    [Fact]
    public void Zrem_removes_members_and_deletes_an_emptied_set()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "1", "a", "2", "b");
        Assert.Equal(":1\r\n", h.Run("ZREM", "z", "a", "nope"));
        Assert.Equal(":0\r\n", h.Run("ZREM", "missing", "a"));
        Assert.Equal(":1\r\n", h.Run("ZREM", "z", "b"));
        Assert.Null(h.Machine.Database.Read("z"u8, h.NowMs));
    }

    [Fact]
    public void Every_sorted_set_command_refuses_a_key_of_another_type()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a");
        string[][] commands =
        [
            ["ZADD", "s", "1", "a"], ["ZINCRBY", "s", "1", "a"], ["ZREM", "s", "a"], ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"],
            ["ZCARD", "s"], ["ZCOUNT", "s", "0", "1"], ["ZLEXCOUNT", "s", "-", "+"], ["ZRANK", "s", "a"], ["ZREVRANK", "s", "a"],
            ["ZRANGE", "s", "0", "1"], ["ZRANGEBYSCORE", "s", "0", "1"], ["ZREVRANGEBYSCORE", "s", "1", "0"], ["ZREVRANGE", "s", "0", "1"],
            ["ZRANGEBYLEX", "s", "-", "+"], ["ZREMRANGEBYRANK", "s", "0", "1"], ["ZREMRANGEBYSCORE", "s", "0", "1"],
            ["ZREMRANGEBYLEX", "s", "-", "+"], ["ZPOPMIN", "s"], ["ZPOPMAX", "s", "2"], ["ZSCAN", "s", "0"],
        ];
        foreach (string[] command in commands)
        {
            Assert.Equal(WrongType, h.Run(command));
        }
    }

    [Fact]
    public void Zrank_and_zrevrank_count_from_either_end()
    {
        using EngineHarness h = WithFive();
        Assert.Equal(":0\r\n", h.Run("ZRANK", "z", "a"));
        Assert.Equal(":3\r\n", h.Run("ZRANK", "z", "d"));
        Assert.Equal(":4\r\n", h.Run("ZREVRANK", "z", "a"));
        Assert.Equal("$-1\r\n", h.Run("ZRANK", "z", "nope"));
        Assert.Equal("$-1\r\n", h.Run("ZRANK", "nope", "a"));
        Assert.Equal("*2\r\n:1\r\n$1\r\n4\r\n", h.Run("ZREVRANK", "z", "d", "WITHSCORE"));
        Assert.Equal("*-1\r\n", h.Run("ZRANK", "z", "nope", "WITHSCORE"));
        Assert.Equal(Syntax, h.Run("ZRANK", "z", "a", "BOGUS"));
        Assert.Equal("-ERR wrong number of arguments for 'zrank' command\r\n", h.Run("ZRANK", "z", "a", "WITHSCORE", "x"));
    }

    [Fact]
    public void Zrange_by_index_clamps_like_redis()
    {
        using EngineHarness h = WithFive();
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", h.Run("ZRANGE", "z", "0", "1"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", h.Run("ZRANGE", "z", "-100", "100"));
        Assert.Equal("*2\r\n$1\r\nd\r\n$1\r\ne\r\n", h.Run("ZRANGE", "z", "-2", "-1"));
        Assert.Equal("*0\r\n", h.Run("ZRANGE", "z", "3", "1"));
        Assert.Equal("*0\r\n", h.Run("ZRANGE", "z", "5", "10"));
        Assert.Equal("*0\r\n", h.Run("ZRANGE", "nope", "0", "-1"));
        Assert.Equal("*2\r\n$1\r\ne\r\n$1\r\nd\r\n", h.Run("ZRANGE", "z", "0", "1", "REV"));
        Assert.Equal("*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", h.Run("ZREVRANGE", "z", "0", "1", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", h.Run("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", h.Run("ZRANGE", "z", "x", "1"));
    }

    [Fact]
    public void Zrange_withscores_replies_pairs_in_resp3()
    {
        using EngineHarness h = WithFive();
        h.Protocol = 3;
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n", h.Run("ZRANGE", "z", "0", "1", "WITHSCORES"));
        Assert.Equal("*1\r\n*2\r\n$1\r\ne\r\n,5\r\n", h.Run("ZRANGE", "z", "+inf", "(4", "BYSCORE", "REV", "WITHSCORES"));
    }

    [Fact]
    public void Zrange_by_score_honours_exclusive_bounds_infinities_and_limit()
    {
        using EngineHarness h = WithFive();
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", h.Run("ZRANGE", "z", "(1", "3", "BYSCORE"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", h.Run("ZRANGE", "z", "3", "-inf", "BYSCORE", "REV"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", h.Run("ZRANGE", "z", "1", "3", "BYSCORE", "LIMIT", "1", "1", "WITHSCORES"));
        Assert.Equal("*1\r\n$1\r\ne\r\n", h.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "4", "2"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "5", "2"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "0"));
        Assert.Equal("*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n", h.Run("ZREVRANGEBYSCORE", "z", "4", "2", "WITHSCORES", "LIMIT", "1", "5"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYSCORE", "z", "5", "1"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYSCORE", "z", "(2", "(2"));
        Assert.Equal("-ERR min or max is not a float\r\n", h.Run("ZRANGE", "z", "1", "x", "BYSCORE"));
    }

    [Theory]
    [InlineData("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", "ZRANGE", "z", "0", "1", "LIMIT", "0", "1")]
    [InlineData("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", "ZREVRANGE", "nope", "0", "1", "LIMIT", "0", "1")]
    [InlineData("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")]
    [InlineData("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")]
    [InlineData(Syntax, "ZRANGE", "z", "0", "1", "REV", "REV")]
    [InlineData(Syntax, "ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")]
    [InlineData(Syntax, "ZRANGE", "z", "0", "1", "LIMIT", "0")]
    [InlineData(Syntax, "ZRANGEBYSCORE", "z", "1", "3", "REV")]
    [InlineData("-ERR value is not an integer or out of range\r\n", "ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "x", "1")]
    [InlineData("-ERR min or max not valid string range item\r\n", "ZRANGE", "z", "a", "+", "BYLEX")]
    [InlineData("-ERR min or max not valid string range item\r\n", "ZRANGEBYLEX", "z", "-", "++")]
    public void Zrange_refuses_conflicting_or_malformed_options(string expected, params string[] command)
    {
        using EngineHarness h = WithFive();
        Assert.Equal(expected, h.Run(command));
    }

    [Fact]
    public void Lex_ranges_follow_member_bytes()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", h.Run("ZRANGE", "z", "[b", "(d", "BYLEX"));
        Assert.Equal("*1\r\n$1\r\nc\r\n", h.Run("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "2", "1"));
        Assert.Equal("*2\r\n$1\r\ne\r\n$1\r\nd\r\n", h.Run("ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "2"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", h.Run("ZRANGEBYLEX", "z", "[", "+"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYLEX", "z", "+", "-"));
        Assert.Equal(":3\r\n", h.Run("ZLEXCOUNT", "z", "(a", "[d"));
        Assert.Equal(":2\r\n", h.Run("ZREMRANGEBYLEX", "z", "[a", "[b"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", h.Run("ZRANGE", "z", "0", "-1"));
    }

    [Fact]
    public void Lex_ranges_over_mixed_scores_scan_in_order()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "1", "b", "2", "a", "3", "c");
        // As Redis: from the first member at or above min, onward while at or below max (members need not be sorted).
        Assert.Equal("*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n", h.Run("ZRANGEBYLEX", "z", "[b", "+"));
        Assert.Equal(":3\r\n", h.Run("ZLEXCOUNT", "z", "[b", "+"));
        Assert.Equal("*1\r\n$1\r\nc\r\n", h.Run("ZREVRANGEBYLEX", "z", "+", "[b"));
        Assert.Equal("*0\r\n", h.Run("ZRANGEBYLEX", "z", "-", "(b"));
    }

    [Fact]
    public void Zcount_counts_scores_within_bounds()
    {
        using EngineHarness h = WithFive();
        Assert.Equal(":3\r\n", h.Run("ZCOUNT", "z", "(1", "(5"));
        Assert.Equal(":5\r\n", h.Run("ZCOUNT", "z", "-inf", "+inf"));
        Assert.Equal(":5\r\n", h.Run("ZCOUNT", "z", "", "5"));
        Assert.Equal(":5\r\n", h.Run("ZCOUNT", "z", " 1", "5"));
        Assert.Equal(":0\r\n", h.Run("ZCOUNT", "z", "6", "9"));
        Assert.Equal(":0\r\n", h.Run("ZCOUNT", "nope", "0", "9"));
        Assert.Equal("-ERR min or max is not a float\r\n", h.Run("ZCOUNT", "z", "x", "1"));
    }

    [Fact]
    public void Zremrangebyrank_and_byscore_remove_and_delete_an_emptied_set()
    {
        using EngineHarness h = WithFive();
        Assert.Equal(":1\r\n", h.Run("ZREMRANGEBYSCORE", "z", "(1", "2"));
        Assert.Equal(":1\r\n", h.Run("ZREMRANGEBYRANK", "z", "-1", "-1"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nd\r\n", h.Run("ZRANGE", "z", "0", "-1"));
        Assert.Equal(":0\r\n", h.Run("ZREMRANGEBYRANK", "z", "5", "1"));
        Assert.Equal(":0\r\n", h.Run("ZREMRANGEBYRANK", "nope", "0", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", h.Run("ZREMRANGEBYRANK", "z", "x", "1"));
        Assert.Equal("-ERR min or max is not a float\r\n", h.Run("ZREMRANGEBYSCORE", "z", "x", "1"));
        Assert.Equal(":3\r\n", h.Run("ZREMRANGEBYRANK", "z", "0", "-1"));
        Assert.Null(h.Machine.Database.Read("z"u8, h.NowMs));
    }

    [Fact]
    public void Zpopmin_and_zpopmax_return_flat_pairs_or_nested_pairs_with_a_count_in_resp3()
    {
        using EngineHarness h = WithFive();
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n1\r\n", h.Run("ZPOPMIN", "z"));
        Assert.Equal("*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", h.Run("ZPOPMAX", "z", "2"));
        Assert.Equal("*0\r\n", h.Run("ZPOPMAX", "z", "0"));
        h.Protocol = 3;
        Assert.Equal("*2\r\n$1\r\nb\r\n,2\r\n", h.Run("ZPOPMIN", "z"));
        Assert.Equal("*1\r\n*2\r\n$1\r\nc\r\n,3\r\n", h.Run("ZPOPMIN", "z", "5"));
        Assert.Null(h.Machine.Database.Read("z"u8, h.NowMs));
        Assert.Equal("*0\r\n", h.Run("ZPOPMIN", "z"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("ZPOPMAX", "z", "-1"));
        Assert.Equal(Syntax, h.Run("ZPOPMAX", "z", "1", "2"));
    }

    [Fact]
    public void Zscan_replies_members_with_scores_as_bulk_strings()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "1.5", "a");
        Assert.Equal("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n", h.Run("ZSCAN", "z", "0"));
        h.Protocol = 3;
        Assert.Equal("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n", h.Run("ZSCAN", "z", "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("ZSCAN", "nope", "0"));
        Assert.Equal("-ERR invalid cursor\r\n", h.Run("ZSCAN", "z", "x"));
        for (int i = 0; i < 50; i++)
        {
            h.Run("ZADD", "z", $"{i}", $"m{i}");
        }

        var seen = new HashSet<string>();
        string cursor = "0";
        do
        {
            var reply = (List<object?>)SetReplyParser.Parse(h.Run("ZSCAN", "z", cursor, "COUNT", "5", "MATCH", "m*"))!;
            cursor = (string)reply[0]!;
            var flat = (List<object?>)reply[1]!;
            for (int i = 0; i < flat.Count; i += 2)
            {
                Assert.True(seen.Add((string)flat[i]!));
                Assert.Equal(((string)flat[i]!)[1..], (string)flat[i + 1]!);
            }
        }
        while (cursor != "0");

        Assert.Equal(50, seen.Count);
    }

    [Fact]
    public void A_write_to_an_expired_sorted_set_sees_it_absent()
    {
        using EngineHarness h = WithFive();
        h.Machine.Database.SetExpireAt("z"u8, h.NowMs + 10);
        h.NowMs += 10;
        Assert.Equal(":0\r\n", h.Run("ZCARD", "z"));
        Assert.Equal(":1\r\n", h.Run("ZADD", "z", "9", "a"));
        Assert.Equal(":0\r\n", h.Run("ZRANK", "z", "a"));
        Assert.Equal(0, h.Machine.Database.GetExpireAt("z"u8));
    }

    [Fact]
    public void Large_sorted_sets_keep_ranks_and_ranges_right()
    {
        using var h = new EngineHarness();
        for (int i = 0; i < 300; i++)
        {
            h.Run("ZADD", "z", $"{i % 100}", $"m{i:D3}");
        }

        Assert.Equal(":300\r\n", h.Run("ZCARD", "z"));
        Assert.Equal(":5\r\n", h.Run("ZRANK", "z", "m201"));
        Assert.Equal(":6\r\n", h.Run("ZCOUNT", "z", "1", "2"));
        Assert.Equal("*3\r\n$4\r\nm001\r\n$4\r\nm101\r\n$4\r\nm201\r\n", h.Run("ZRANGEBYSCORE", "z", "1", "1"));
        Assert.Equal("*1\r\n$4\r\nm299\r\n", h.Run("ZREVRANGE", "z", "0", "0"));
    }

    [Fact]
    public void A_random_mix_of_sorted_set_commands_replays_to_the_same_contents()
    {
        using var h = new EngineHarness();
        var random = new Lattice.Common.DeterministicRandom(77);
        string[] keys = ["a", "b"];
        for (int i = 0; i < 800; i++)
        {
            string key = keys[random.NextInt(2)];
            string member = $"m{random.NextInt(60)}";
            string score = (random.NextInt(40) - 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (random.NextInt(8))
            {
                case 0: case 1: h.Run("ZADD", key, score, member); break;
                case 2: h.Run("ZADD", key, random.NextInt(2) == 0 ? "GT" : "LT", "CH", score, member); break;
                case 3: h.Run("ZINCRBY", key, score, member); break;
                case 4: h.Run("ZREM", key, member); break;
                case 5: h.Run("ZPOPMIN", key, "2"); break;
                case 6: h.Run("ZREMRANGEBYSCORE", key, score, "(" + (int.Parse(score, System.Globalization.CultureInfo.InvariantCulture) + 3)); break;
                default: h.Run("ZREMRANGEBYRANK", key, "0", "0"); break;
            }
        }

        Assert.Equal(SetContentsDump.Of(h.Machine.Database), SetContentsDump.Of(h.Replay().Database));
    }
}
