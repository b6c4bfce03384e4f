using System.Text;
using static Lattice.Engine.Tests.HashListReplies;

namespace Lattice.Engine.Tests;

public sealed class ListCommandTests
{
    private const string OutOfRangePositive = "-ERR value is out of range, must be positive\r\n";

    [Fact]
    public void Lpush_and_rpush_add_many_values_at_each_end()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(2), h.Run("RPUSH", "l", "c", "d"));
        Assert.Equal(Int(4), h.Run("LPUSH", "l", "b", "a"));
        Assert.Equal(Bulks("a", "b", "c", "d"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(4), h.Run("LLEN", "l"));
        Assert.Equal(Int(0), h.Run("LLEN", "nokey"));
    }

    [Fact]
    public void Pushx_pushes_only_onto_an_existing_list()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("LPUSHX", "l", "a"));
        Assert.Equal(Int(0), h.Run("RPUSHX", "l", "a"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
        h.Run("RPUSH", "l", "m");
        Assert.Equal(Int(3), h.Run("LPUSHX", "l", "x", "y"));
        Assert.Equal(Int(5), h.Run("RPUSHX", "l", "z", "w"));
        Assert.Equal(Bulks("y", "x", "m", "z", "w"), h.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Lpop_and_rpop_take_one_element_and_delete_the_emptied_list()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b");
        Assert.Equal(Bulk("a"), h.Run("LPOP", "l"));
        Assert.Equal(Bulk("b"), h.Run("RPOP", "l"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
        Assert.Equal(Nil, h.Run("LPOP", "l"));
        Assert.Equal(Nil, h.Run("RPOP", "l"));
    }

    [Fact]
    public void Pop_with_a_count_follows_redis_7()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c", "d");
        Assert.Equal(Bulks("a", "b"), h.Run("LPOP", "l", "2"));
        Assert.Equal(Bulks("d"), h.Run("RPOP", "l", "1"));
        Assert.Equal(EmptyArray, h.Run("LPOP", "l", "0"));
        Assert.Equal(Bulks("c"), h.Run("RPOP", "l", "10"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
        Assert.Equal(NilArray, h.Run("LPOP", "l", "1"));
        Assert.Equal(NilArray, h.Run("RPOP", "l", "0"));
        h.Protocol = 3;
        Assert.Equal(Resp3Null, h.Run("LPOP", "l", "1"));
    }

    [Fact]
    public void Pop_refuses_a_negative_or_bad_count_before_looking_at_the_key()
    {
        using var h = new EngineHarness();
        h.Run("SET", "str", "x");
        Assert.Equal(OutOfRangePositive, h.Run("LPOP", "nokey", "-1"));
        Assert.Equal(OutOfRangePositive, h.Run("RPOP", "nokey", "abc"));
        Assert.Equal(OutOfRangePositive, h.Run("LPOP", "str", "-1"));
        Assert.Equal(WrongType, h.Run("LPOP", "str", "0"));
        Assert.Equal(Err("ERR wrong number of arguments for 'lpop' command"), h.Run("LPOP", "l", "1", "2"));
    }

    [Fact]
    public void Lrange_clamps_and_counts_negative_indexes_from_the_tail()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c", "d", "e");
        Assert.Equal(Bulks("d", "e"), h.Run("LRANGE", "l", "-2", "-1"));
        Assert.Equal(Bulks("a", "b", "c", "d", "e"), h.Run("LRANGE", "l", "-100", "100"));
        Assert.Equal(Bulks("b", "c"), h.Run("LRANGE", "l", "1", "2"));
        Assert.Equal(EmptyArray, h.Run("LRANGE", "l", "3", "1"));
        Assert.Equal(EmptyArray, h.Run("LRANGE", "l", "5", "10"));
        Assert.Equal(EmptyArray, h.Run("LRANGE", "nokey", "0", "-1"));
        Assert.Equal(NotInteger, h.Run("LRANGE", "nokey", "abc", "1"));
        Assert.Equal(NotInteger, h.Run("LRANGE", "l", "0", "1.5"));
    }

    [Fact]
    public void Lindex_reads_by_index_after_checking_the_key()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c");
        Assert.Equal(Bulk("a"), h.Run("LINDEX", "l", "0"));
        Assert.Equal(Bulk("c"), h.Run("LINDEX", "l", "-1"));
        Assert.Equal(Nil, h.Run("LINDEX", "l", "3"));
        Assert.Equal(Nil, h.Run("LINDEX", "l", "-4"));
        Assert.Equal(Nil, h.Run("LINDEX", "nokey", "abc"));
        Assert.Equal(NotInteger, h.Run("LINDEX", "l", "abc"));
    }

    [Fact]
    public void Lset_replaces_an_element_or_explains_why_not()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR no such key"), h.Run("LSET", "l", "abc", "x"));
        h.Run("RPUSH", "l", "a", "b", "c");
        Assert.Equal(Ok, h.Run("LSET", "l", "-1", "z"));
        Assert.Equal(Ok, h.Run("LSET", "l", "0", "y"));
        Assert.Equal(Bulks("y", "b", "z"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Err("ERR index out of range"), h.Run("LSET", "l", "3", "x"));
        Assert.Equal(Err("ERR index out of range"), h.Run("LSET", "l", "-4", "x"));
        Assert.Equal(NotInteger, h.Run("LSET", "l", "abc", "x"));
    }

    [Fact]
    public void Ltrim_keeps_a_range_and_deletes_an_emptied_list()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c", "d", "e");
        Assert.Equal(Ok, h.Run("LTRIM", "l", "1", "-2"));
        Assert.Equal(Bulks("b", "c", "d"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Ok, h.Run("LTRIM", "l", "-100", "100"));
        Assert.Equal(Int(3), h.Run("LLEN", "l"));
        Assert.Equal(Ok, h.Run("LTRIM", "l", "5", "1"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
        Assert.Equal(Ok, h.Run("LTRIM", "nokey", "0", "1"));
        Assert.Equal(NotInteger, h.Run("LTRIM", "nokey", "abc", "1"));
    }

    [Fact]
    public void Lrem_removes_from_the_head_the_tail_or_everywhere()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "x", "b", "x", "c", "x");
        Assert.Equal(Int(1), h.Run("LREM", "l", "1", "x"));
        Assert.Equal(Bulks("a", "b", "x", "c", "x"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(1), h.Run("LREM", "l", "-1", "x"));
        Assert.Equal(Bulks("a", "b", "x", "c"), h.Run("LRANGE", "l", "0", "-1"));
        h.Run("RPUSH", "l", "x");
        Assert.Equal(Int(2), h.Run("LREM", "l", "0", "x"));
        Assert.Equal(Bulks("a", "b", "c"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(0), h.Run("LREM", "l", "0", "zz"));
        Assert.Equal(Int(0), h.Run("LREM", "nokey", "0", "x"));
        Assert.Equal(NotInteger, h.Run("LREM", "nokey", "abc", "x"));
    }

    [Fact]
    public void Lrem_with_the_smallest_count_removes_from_the_tail_and_can_empty_the_list()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "x", "x");
        Assert.Equal(Int(2), h.Run("LREM", "l", "-9223372036854775808", "x"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
    }

    [Fact]
    public void Linsert_places_before_or_after_the_first_pivot()
    {
        using var h = new EngineHarness();
        Assert.Equal(Int(0), h.Run("LINSERT", "l", "BEFORE", "a", "b"));
        Assert.Equal(Int(0), h.Run("EXISTS", "l"));
        h.Run("RPUSH", "l", "a", "c", "a");
        Assert.Equal(Int(4), h.Run("LINSERT", "l", "after", "a", "b"));
        Assert.Equal(Int(5), h.Run("LINSERT", "l", "BEFORE", "a", "0"));
        Assert.Equal(Int(-1), h.Run("LINSERT", "l", "BEFORE", "zz", "q"));
        Assert.Equal(Bulks("0", "a", "b", "c", "a"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Syntax, h.Run("LINSERT", "l", "MIDDLE", "a", "b"));
    }

    [Fact]
    public void Linsert_near_the_tail_shifts_the_tail_side()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "1", "2", "3", "4", "5", "6");
        Assert.Equal(Int(7), h.Run("LINSERT", "l", "AFTER", "5", "x"));
        Assert.Equal(Int(8), h.Run("LINSERT", "l", "BEFORE", "2", "y"));
        Assert.Equal(Bulks("1", "y", "2", "3", "4", "5", "x", "6"), h.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Lpos_finds_by_rank_count_and_maxlen()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c", "a", "b", "c");
        Assert.Equal(Int(0), h.Run("LPOS", "l", "a"));
        Assert.Equal(Int(3), h.Run("LPOS", "l", "a", "RANK", "2"));
        Assert.Equal(Int(5), h.Run("LPOS", "l", "c", "RANK", "-1"));
        Assert.Equal(Int(2), h.Run("LPOS", "l", "c", "RANK", "-2"));
        Assert.Equal(Nil, h.Run("LPOS", "l", "c", "RANK", "3"));
        Assert.Equal(Array(Int(5), Int(2)), h.Run("LPOS", "l", "c", "RANK", "-1", "COUNT", "0"));
        Assert.Equal(Array(Int(1)), h.Run("LPOS", "l", "b", "COUNT", "1"));
        Assert.Equal(EmptyArray, h.Run("LPOS", "l", "zz", "COUNT", "2"));
        Assert.Equal(Nil, h.Run("LPOS", "l", "a", "RANK", "2", "MAXLEN", "3"));
        Assert.Equal(Int(3), h.Run("LPOS", "l", "a", "RANK", "2", "MAXLEN", "4"));
        Assert.Equal(Nil, h.Run("LPOS", "nokey", "a"));
        Assert.Equal(EmptyArray, h.Run("LPOS", "nokey", "a", "COUNT", "0"));
    }

    [Fact]
    public void Lpos_refuses_bad_options_before_looking_at_the_key()
    {
        using var h = new EngineHarness();
        h.Run("SET", "str", "x");
        string rankZero = Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        Assert.Equal(rankZero, h.Run("LPOS", "str", "a", "RANK", "0"));
        Assert.Equal(
            Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
            h.Run("LPOS", "l", "a", "RANK", "-9223372036854775808"));
        Assert.Equal(NotInteger, h.Run("LPOS", "l", "a", "RANK", "abc"));
        Assert.Equal(Err("ERR COUNT can't be negative"), h.Run("LPOS", "l", "a", "COUNT", "-1"));
        Assert.Equal(Err("ERR COUNT can't be negative"), h.Run("LPOS", "l", "a", "COUNT", "abc"));
        Assert.Equal(Err("ERR MAXLEN can't be negative"), h.Run("LPOS", "l", "a", "MAXLEN", "-1"));
        Assert.Equal(Syntax, h.Run("LPOS", "l", "a", "RANK"));
        Assert.Equal(Syntax, h.Run("LPOS", "l", "a", "FOO", "1"));
        Assert.Equal(WrongType, h.Run("LPOS", "str", "a"));
    }

    [Fact]
    public void Lmove_moves_between_lists_from_either_end_to_either_end()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "src", "a", "b", "c");
        Assert.Equal(Bulk("a"), h.Run("LMOVE", "src", "dst", "LEFT", "RIGHT"));
        Assert.Equal(Bulk("c"), h.Run("LMOVE", "src", "dst", "right", "left"));
        Assert.Equal(Bulks("c", "a"), h.Run("LRANGE", "dst", "0", "-1"));
        Assert.Equal(Bulk("b"), h.Run("LMOVE", "src", "dst", "LEFT", "LEFT"));
        Assert.Equal(Int(0), h.Run("EXISTS", "src"));
        Assert.Equal(Nil, h.Run("LMOVE", "src", "dst", "LEFT", "LEFT"));
        Assert.Equal(Bulks("b", "c", "a"), h.Run("LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void Lmove_on_one_key_rotates_the_list()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a", "b", "c");
        Assert.Equal(Bulk("c"), h.Run("RPOPLPUSH", "l", "l"));
        Assert.Equal(Bulk("c"), h.Run("LMOVE", "l", "l", "LEFT", "RIGHT"));
        Assert.Equal(Bulks("a", "b", "c"), h.Run("LRANGE", "l", "0", "-1"));
        h.Run("RPUSH", "one", "x");
        Assert.Equal(Bulk("x"), h.Run("LMOVE", "one", "one", "LEFT", "LEFT"));
        Assert.Equal(Bulks("x"), h.Run("LRANGE", "one", "0", "-1"));
    }

    [Fact]
    public void Lmove_checks_the_destination_type_before_changing_anything()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "a");
        h.Run("SET", "str", "x");
        Assert.Equal(WrongType, h.Run("LMOVE", "l", "str", "LEFT", "RIGHT"));
        Assert.Equal(WrongType, h.Run("RPOPLPUSH", "l", "str"));
        Assert.Equal(Bulks("a"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(WrongType, h.Run("LMOVE", "str", "l", "LEFT", "LEFT"));
        Assert.Equal(Nil, h.Run("LMOVE", "nokey", "str", "LEFT", "LEFT"));
        Assert.Equal(Syntax, h.Run("LMOVE", "l", "l", "UP", "LEFT"));
        Assert.Equal(Syntax, h.Run("LMOVE", "l", "l", "LEFT", "TOP"));
    }

    [Fact]
    public void Rpoplpush_pops_the_tail_and_pushes_the_head()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "src", "a", "b");
        h.Run("RPUSH", "dst", "z");
        Assert.Equal(Bulk("b"), h.Run("RPOPLPUSH", "src", "dst"));
        Assert.Equal(Bulks("b", "z"), h.Run("LRANGE", "dst", "0", "-1"));
        Assert.Equal(Nil, h.Run("RPOPLPUSH", "nokey", "dst"));
    }

    [Fact]
    public void Lmove_stamps_both_keys_so_watch_sees_the_change()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "src", "a", "b");
        h.Run("RPUSH", "dst", "z");
        h.Run("LMOVE", "src", "dst", "LEFT", "LEFT");
        long index = h.Machine.AppliedIndex;
        Assert.Equal(index, h.Machine.Database.GetVersion("src"u8, h.NowMs));
        Assert.Equal(index, h.Machine.Database.GetVersion("dst"u8, h.NowMs));
    }

    [Theory]
    [InlineData("LPUSH", "a")]
    [InlineData("RPUSH", "a")]
    [InlineData("LPUSHX", "a")]
    [InlineData("RPUSHX", "a")]
    [InlineData("LPOP")]
    [InlineData("RPOP", "2")]
    [InlineData("LLEN")]
    [InlineData("LRANGE", "0", "-1")]
    [InlineData("LINDEX", "0")]
    [InlineData("LSET", "0", "x")]
    [InlineData("LTRIM", "0", "1")]
    [InlineData("LREM", "0", "x")]
    [InlineData("LINSERT", "BEFORE", "a", "b")]
    [InlineData("LPOS", "a")]
    [InlineData("LMOVE", "other", "LEFT", "LEFT")]
    [InlineData("RPOPLPUSH", "other")]
    public void List_commands_on_a_string_are_wrongtype(string command, params string[] rest)
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        Assert.Equal(WrongType, h.Run([command, "k", .. rest]));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
    }

    [Fact]
    public void A_push_to_an_expired_list_starts_a_new_one_without_ttl()
    {
        using var h = new EngineHarness();
        h.Run("RPUSH", "l", "old");
        h.Run("PEXPIRE", "l", "100");
        h.NowMs += 200;
        Assert.Equal(Int(0), h.Run("LLEN", "l"));
        Assert.Equal(Int(0), h.Run("RPUSHX", "l", "x"));
        Assert.Equal(Int(1), h.Run("RPUSH", "l", "new"));
        Assert.Equal(Bulks("new"), h.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(-1), h.Run("TTL", "l"));
    }

    [Fact]
    public void List_commands_are_registered_with_group_flags_and_keys()
    {
        using var h = new EngineHarness();
        string[] writes = ["lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "lset", "ltrim", "lrem", "linsert", "lmove", "rpoplpush"];
        string[] reads = ["llen", "lrange", "lindex", "lpos"];
        foreach (string name in writes.Concat(reads))
        {
            CommandSpec spec = h.Machine.Commands.Find(Encoding.ASCII.GetBytes(name))!;
            Assert.Equal("list", spec.Group);
            int lastKey = name is "lmove" or "rpoplpush" ? 2 : 1;
            Assert.Equal((1, lastKey, 1), (spec.FirstKey, spec.LastKey, spec.KeyStep));
            Assert.Equal(writes.Contains(name), spec.IsWrite);
            Assert.NotEmpty(spec.Summary);
        }
    }
}
