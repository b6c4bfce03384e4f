using System.Text;

namespace Lattice.Engine.Tests;

public sealed class SetCommandTests
{
    private const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    [Fact]
    public void Sadd_counts_only_new_members_and_srem_deletes_an_emptied_set()
    {
        using var h = new EngineHarness();
        Assert.Equal(":3\r\n", h.Run("SADD", "s", "a", "b", "c"));
        Assert.Equal(":1\r\n", h.Run("SADD", "s", "a", "d", "d"));
        Assert.Equal(":4\r\n", h.Run("SCARD", "s"));
        Assert.Equal(":2\r\n", h.Run("SREM", "s", "a", "zz", "b"));
        Assert.Equal(":0\r\n", h.Run("SREM", "missing", "a"));
        Assert.Equal(":2\r\n", h.Run("SREM", "s", "c", "d"));
        Assert.Null(h.Machine.Database.Read("s"u8, h.NowMs));
        Assert.Equal(":0\r\n", h.Run("SCARD", "s"));
    }

    [Fact]
    public void Sismember_and_smismember_answer_per_member()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a");
        Assert.Equal(":1\r\n", h.Run("SISMEMBER", "s", "a"));
        Assert.Equal(":0\r\n", h.Run("SISMEMBER", "s", "b"));
        Assert.Equal(":0\r\n", h.Run("SISMEMBER", "nope", "a"));
        Assert.Equal("*3\r\n:1\r\n:0\r\n:1\r\n", h.Run("SMISMEMBER", "s", "a", "b", "a"));
        Assert.Equal("*2\r\n:0\r\n:0\r\n", h.Run("SMISMEMBER", "nope", "a", "b"));
    }

    [Fact]
    public void Smembers_replies_a_set_type_in_resp3_and_an_array_in_resp2()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "x");
        Assert.Equal("*1\r\n$1\r\nx\r\n", h.Run("SMEMBERS", "s"));
        Assert.Equal("*0\r\n", h.Run("SMEMBERS", "nope"));
        h.Protocol = 3;
        Assert.Equal("~1\r\n$1\r\nx\r\n", h.Run("SMEMBERS", "s"));
        Assert.Equal("~0\r\n", h.Run("SMEMBERS", "nope"));
    }

    [Fact]
    public void Every_set_command_refuses_a_key_of_another_type()
    {
        using var h = new EngineHarness();
        h.Run("ZADD", "z", "1", "a");
        h.Run("SADD", "s", "a");
        Assert.Equal(WrongType, h.Run("SADD", "z", "a"));
        Assert.Equal(WrongType, h.Run("SREM", "z", "a"));
        Assert.Equal(WrongType, h.Run("SISMEMBER", "z", "a"));
        Assert.Equal(WrongType, h.Run("SMISMEMBER", "z", "a"));
        Assert.Equal(WrongType, h.Run("SMEMBERS", "z"));
        Assert.Equal(WrongType, h.Run("SCARD", "z"));
        Assert.Equal(WrongType, h.Run("SPOP", "z"));
        Assert.Equal(WrongType, h.Run("SRANDMEMBER", "z"));
        Assert.Equal(WrongType, h.Run("SSCAN", "z", "0"));
        Assert.Equal(WrongType, h.Run("SINTER", "nope", "z"));
        Assert.Equal(WrongType, h.Run("SUNION", "s", "z"));
        Assert.Equal(WrongType, h.Run("SDIFF", "nope", "z"));
        Assert.Equal(WrongType, h.Run("SDIFFSTORE", "d", "s", "z"));
        Assert.Equal(WrongType, h.Run("SINTERCARD", "2", "nope", "z"));
        Assert.Equal(WrongType, h.Run("SMOVE", "s", "z", "a"));
        Assert.Equal(WrongType, h.Run("SMOVE", "z", "s", "a"));
        Assert.Equal(":0\r\n", h.Run("SMOVE", "nope", "z", "a"));
    }

    [Fact]
    public void Set_algebra_treats_missing_keys_as_empty_sets()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "a", "1", "2", "3", "4");
        h.Run("SADD", "b", "3", "4", "5");
        h.Run("SADD", "c", "4", "6");
        Assert.Equal(["4"], SetReplyParser.SortedStrings(h.Run("SINTER", "a", "b", "c")));
        Assert.Empty(SetReplyParser.SortedStrings(h.Run("SINTER", "a", "nope")));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], SetReplyParser.SortedStrings(h.Run("SUNION", "a", "nope", "b", "c")));
        Assert.Equal(["1", "2"], SetReplyParser.SortedStrings(h.Run("SDIFF", "a", "b", "c", "nope")));
        Assert.Empty(SetReplyParser.SortedStrings(h.Run("SDIFF", "nope", "a")));
        Assert.Empty(SetReplyParser.SortedStrings(h.Run("SDIFF", "a", "a")));
        h.Protocol = 3;
        Assert.StartsWith("~1\r\n", h.Run("SINTER", "a", "b", "c"), StringComparison.Ordinal);
    }

    [Fact]
    public void Store_forms_replace_the_destination_and_delete_it_when_empty()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "a", "1", "2", "3");
        h.Run("SADD", "b", "2", "3", "4");
        h.Run("ZADD", "dst", "1", "x");
        Assert.Equal(":2\r\n", h.Run("SINTERSTORE", "dst", "a", "b"));
        Assert.Equal(["2", "3"], SetReplyParser.SortedStrings(h.Run("SMEMBERS", "dst")));
        Assert.Equal(":4\r\n", h.Run("SUNIONSTORE", "dst", "a", "b"));
        Assert.Equal(":1\r\n", h.Run("SDIFFSTORE", "a", "a", "b"));
        Assert.Equal(["1"], SetReplyParser.SortedStrings(h.Run("SMEMBERS", "a")));
        h.Machine.Database.SetExpireAt("dst"u8, h.NowMs + 10_000);
        Assert.Equal(":4\r\n", h.Run("SUNIONSTORE", "dst", "dst"));
        Assert.Equal(0, h.Machine.Database.GetExpireAt("dst"u8));
        Assert.Equal(":0\r\n", h.Run("SINTERSTORE", "dst", "a", "nope"));
        Assert.Null(h.Machine.Database.Read("dst"u8, h.NowMs));
    }

    [Fact]
    public void Sintercard_counts_up_to_its_limit_and_checks_its_arguments()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "a", "1", "2", "3");
        h.Run("SADD", "b", "1", "2", "3", "4");
        Assert.Equal(":3\r\n", h.Run("SINTERCARD", "2", "a", "b"));
        Assert.Equal(":2\r\n", h.Run("SINTERCARD", "2", "a", "b", "LIMIT", "2"));
        Assert.Equal(":3\r\n", h.Run("SINTERCARD", "2", "a", "b", "limit", "0"));
        Assert.Equal(":0\r\n", h.Run("SINTERCARD", "2", "a", "nope"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", h.Run("SINTERCARD", "0", "a"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", h.Run("SINTERCARD", "x", "a"));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", h.Run("SINTERCARD", "3", "a", "b"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", h.Run("SINTERCARD", "1", "a", "LIMIT", "-1"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SINTERCARD", "1", "a", "FOO", "1"));
    }

    [Fact]
    public void Smove_moves_a_member_and_deletes_an_emptied_source()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "src", "a", "b");
        Assert.Equal(":1\r\n", h.Run("SMOVE", "src", "dst", "a"));
        Assert.Equal(":0\r\n", h.Run("SMOVE", "src", "dst", "zz"));
        Assert.Equal(":1\r\n", h.Run("SMOVE", "src", "src", "b"));
        Assert.Equal(":0\r\n", h.Run("SMOVE", "src", "src", "zz"));
        Assert.Equal(":1\r\n", h.Run("SMOVE", "src", "dst", "b"));
        Assert.Null(h.Machine.Database.Read("src"u8, h.NowMs));
        Assert.Equal(["a", "b"], SetReplyParser.SortedStrings(h.Run("SMEMBERS", "dst")));
    }

    [Fact]
    public void Spop_removes_what_it_returns()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a", "b", "c", "d", "e");
        string one = (string)SetReplyParser.Parse(h.Run("SPOP", "s"))!;
        Assert.Equal(":0\r\n", h.Run("SISMEMBER", "s", one));
        List<string> two = SetReplyParser.SortedStrings(h.Run("SPOP", "s", "2"));
        Assert.Equal(2, two.Distinct().Count());
        Assert.Equal(":2\r\n", h.Run("SCARD", "s"));
        Assert.Equal("*0\r\n", h.Run("SPOP", "s", "0"));
        Assert.Equal(2, SetReplyParser.SortedStrings(h.Run("SPOP", "s", "10")).Count);
        Assert.Null(h.Machine.Database.Read("s"u8, h.NowMs));
        Assert.Equal("$-1\r\n", h.Run("SPOP", "s"));
        Assert.Equal("*0\r\n", h.Run("SPOP", "s", "3"));
        h.Protocol = 3;
        Assert.Equal("_\r\n", h.Run("SPOP", "s"));
        Assert.Equal("~0\r\n", h.Run("SPOP", "s", "3"));
        h.Run("SADD", "s", "only");
        Assert.Equal("$4\r\nonly\r\n", h.Run("SPOP", "s"));
        Assert.Null(h.Machine.Database.Read("s"u8, h.NowMs));
    }

    [Fact]
    public void Spop_refuses_bad_counts()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a");
        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("SPOP", "s", "-1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("SPOP", "s", "x"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SPOP", "s", "1", "2"));
    }

    [Fact]
    public void Spop_picks_the_same_members_whatever_the_table_layout()
    {
        // Same members, different insertion histories (so different slots): the same entry index pops the same.
        using var first = new EngineHarness();
        using var second = new EngineHarness();
        first.Run("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h");
        second.Run("SADD", "s", "h", "x", "g", "f", "e", "d", "c", "b", "a");
        second.Run("SREM", "s", "x");
        first.Run("SADD", "pad", "1");
        Assert.Equal(first.Run("SPOP", "s", "3"), second.Run("SPOP", "s", "3"));
    }

    [Fact]
    public void Srandmember_returns_distinct_members_for_positive_counts_and_repeats_for_negative()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        List<string> some = SetReplyParser.SortedStrings(h.Run("SRANDMEMBER", "s", "3"));
        Assert.Equal(3, some.Distinct().Count());
        List<string> most = SetReplyParser.SortedStrings(h.Run("SRANDMEMBER", "s", "8"));
        Assert.Equal(8, most.Distinct().Count());
        Assert.Equal(10, SetReplyParser.SortedStrings(h.Run("SRANDMEMBER", "s", "100")).Count);
        Assert.Equal(25, SetReplyParser.SortedStrings(h.Run("SRANDMEMBER", "s", "-25")).Count);
        Assert.Equal(1, ((string)SetReplyParser.Parse(h.Run("SRANDMEMBER", "s"))!).Length);
        Assert.Equal("*0\r\n", h.Run("SRANDMEMBER", "s", "0"));
        Assert.Equal("*0\r\n", h.Run("SRANDMEMBER", "nope", "5"));
        Assert.Equal("$-1\r\n", h.Run("SRANDMEMBER", "nope"));
        Assert.Equal(":10\r\n", h.Run("SCARD", "s"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", h.Run("SRANDMEMBER", "s", "x"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SRANDMEMBER", "s", "1", "2"));
        h.Protocol = 3;
        Assert.StartsWith("*2\r\n", h.Run("SRANDMEMBER", "s", "2"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sscan_visits_every_member_once_and_filters_by_pattern()
    {
        using var h = new EngineHarness();
        var expected = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            expected.Add($"m{i}");
            h.Run("SADD", "s", $"m{i}");
        }

        var seen = new List<string>();
        string cursor = "0";
        do
        {
            var reply = (List<object?>)SetReplyParser.Parse(h.Run("SSCAN", "s", cursor, "COUNT", "7"))!;
            cursor = (string)reply[0]!;
            seen.AddRange(((List<object?>)reply[1]!).Cast<string>());
        }
        while (cursor != "0");

        expected.Sort(StringComparer.Ordinal);
        seen.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, seen);
        var matched = (List<object?>)SetReplyParser.Parse(h.Run("SSCAN", "s", "0", "MATCH", "m1?", "COUNT", "1000"))!;
        Assert.Equal(10, ((List<object?>)matched[1]!).Count);
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SSCAN", "nope", "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SSCAN", "s", "100000"));
        Assert.Equal("-ERR invalid cursor\r\n", h.Run("SSCAN", "s", "x"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SSCAN", "s", "0", "TYPE", "set"));
    }

    [Fact]
    public void A_write_to_an_expired_set_sees_it_absent()
    {
        using var h = new EngineHarness();
        h.Run("SADD", "s", "a", "b");
        h.Machine.Database.SetExpireAt("s"u8, h.NowMs + 1000);
        h.NowMs += 1000;
        Assert.Equal(":0\r\n", h.Run("SCARD", "s"));
        Assert.Equal(":1\r\n", h.Run("SADD", "s", "a"));
        Assert.Equal(0, h.Machine.Database.GetExpireAt("s"u8));
        Assert.Equal(["a"], SetReplyParser.SortedStrings(h.Run("SMEMBERS", "s")));
    }

    [Fact]
    public void A_random_mix_of_set_commands_replays_to_the_same_contents()
    {
        using var h = new EngineHarness();
        var random = new Lattice.Common.DeterministicRandom(2024);
        string[] keys = ["a", "b", "c"];
        for (int i = 0; i < 600; i++)
        {
            string key = keys[random.NextInt(3)];
            string other = keys[random.NextInt(3)];
            string member = $"m{random.NextInt(40)}";
            switch (random.NextInt(8))
            {
                case 0: case 1: case 2: h.Run("SADD", key, member, $"m{random.NextInt(40)}"); break;
                case 3: h.Run("SREM", key, member); break;
                case 4: h.Run("SPOP", key, random.NextInt(3).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case 5: h.Run("SMOVE", key, other, member); break;
                case 6: h.Run("SUNIONSTORE", key, other, key); break;
                default: h.Run("SDIFFSTORE", key, key, other); break;
            }
        }

        Assert.Equal(SetContentsDump.Of(h.Machine.Database), SetContentsDump.Of(h.Replay().Database));
    }
}
