using System.Text;
using static Lattice.Engine.Tests.KeyTestSupport;

namespace Lattice.Engine.Tests;

public sealed class KeyCommandTests
{
    [Fact]
    public void Del_and_unlink_count_the_keys_that_existed()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "a", "1", "b", "2", "c", "3");
        PutCollection(h, "l");
        Assert.Equal(Int(2), h.Run("DEL", "a", "b", "missing", "a"));
        Assert.Equal(Int(2), h.Run("UNLINK", "c", "l"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
    }

    [Fact]
    public void Del_of_an_expired_key_counts_nothing_but_removes_it()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v", "PX", "10");
        h.NowMs += 10;
        Assert.Equal(Int(1), h.Run("DBSIZE"));
        Assert.Equal(Int(0), h.Run("DEL", "k"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
    }

    [Fact]
    public void Exists_and_touch_count_repeats()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v");
        h.Run("SET", "t", "v", "PX", "1");
        h.NowMs++;
        Assert.Equal(Int(3), h.Run("EXISTS", "k", "k", "none", "t", "k"));
        Assert.Equal(Int(2), h.Run("TOUCH", "k", "k", "none"));
    }

    [Fact]
    public void Type_names_every_kind()
    {
        using var h = new EngineHarness();
        h.Run("SET", "s", "v");
        PutCollection(h, "l", ValueKind.List);
        PutCollection(h, "h", ValueKind.Hash);
        PutCollection(h, "e", ValueKind.Set);
        PutCollection(h, "z", ValueKind.SortedSet);
        Assert.Equal("+string\r\n", h.Run("TYPE", "s"));
        Assert.Equal("+list\r\n", h.Run("TYPE", "l"));
        Assert.Equal("+hash\r\n", h.Run("TYPE", "h"));
        Assert.Equal("+set\r\n", h.Run("TYPE", "e"));
        Assert.Equal("+zset\r\n", h.Run("TYPE", "z"));
        Assert.Equal("+none\r\n", h.Run("TYPE", "missing"));
    }

    [Fact]
    public void Rename_moves_the_value_and_its_ttl_over_the_destination()
    {
        using var h = new EngineHarness();
        h.Run("SET", "src", "v", "PX", "100000");
        h.Run("SET", "dst", "old");
        Assert.Equal(Ok, h.Run("RENAME", "src", "dst"));
        Assert.Equal(Int(0), h.Run("EXISTS", "src"));
        Assert.Equal(Bulk("v"), h.Run("GET", "dst"));
        Assert.Equal(Int(100000), h.Run("PTTL", "dst"));
        h.Run("SET", "ttl", "x", "EX", "5");
        h.Run("SET", "plain", "y");
        Assert.Equal(Ok, h.Run("RENAME", "plain", "ttl"));
        Assert.Equal(Int(-1), h.Run("TTL", "ttl"));
    }

    [Fact]
    public void Rename_moves_collections_too()
    {
        using var h = new EngineHarness();
        PutCollection(h, "l", ValueKind.Hash);
        Assert.Equal(Ok, h.Run("RENAME", "l", "m"));
        Assert.Equal("+hash\r\n", h.Run("TYPE", "m"));
        Assert.Equal("+none\r\n", h.Run("TYPE", "l"));
    }

    [Fact]
    public void Rename_of_a_missing_or_expired_key_is_an_error()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "none", "x"));
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "none", "none"));
        Assert.Equal(Err("ERR no such key"), h.Run("RENAMENX", "none", "x"));
        h.Run("SET", "t", "v", "PX", "5");
        h.NowMs += 5;
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "t", "x"));
        Assert.Equal(Int(0), h.Run("EXISTS", "x"));
    }

    [Fact]
    public void Rename_of_a_key_to_itself_changes_nothing()
    {
        using var h = new EngineHarness();
        h.Run("SET", "k", "v", "EX", "50");
        Assert.Equal(Ok, h.Run("RENAME", "k", "k"));
        Assert.Equal(Int(0), h.Run("RENAMENX", "k", "k"));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Int(50), h.Run("TTL", "k"));
    }

    [Fact]
    public void Renamenx_moves_only_to_a_free_name()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "2");
        Assert.Equal(Int(0), h.Run("RENAMENX", "a", "b"));
        Assert.Equal(Array(Bulk("1"), Bulk("2")), h.Run("MGET", "a", "b"));
        Assert.Equal(Int(1), h.Run("RENAMENX", "a", "c"));
        Assert.Equal(Array(Nil, Bulk("1")), h.Run("MGET", "a", "c"));
        h.Run("SET", "t", "old", "PX", "1");
        h.NowMs++;
        Assert.Equal(Int(1), h.Run("RENAMENX", "c", "t"));
        Assert.Equal(Bulk("1"), h.Run("GET", "t"));
    }

    [Fact]
    public void Rename_stamps_both_keys_for_watch()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "2");
        h.Run("RENAME", "a", "b");
        Assert.Equal(h.Machine.AppliedIndex, h.Machine.Database.GetVersion("b"u8, h.NowMs));
        CommandSpec spec = h.Machine.Commands.Find("RENAME"u8)!;
        Assert.Equal((1, 2, 1), (spec.FirstKey, spec.LastKey, spec.KeyStep));
        CommandSpec mset = h.Machine.Commands.Find("MSET"u8)!;
        Assert.Equal((1, -1, 2), (mset.FirstKey, mset.LastKey, mset.KeyStep));
    }

    [Fact]
    public void Keys_returns_live_keys_matching_the_pattern()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "world", "4");
        h.Run("SET", "hgone", "5", "PX", "1");
        h.NowMs++;
        Assert.Equal(["hallo", "hello", "hxllo"], ParseSortedArray(h.Run("KEYS", "h*")));
        Assert.Equal(["hallo", "hello"], ParseSortedArray(h.Run("KEYS", "h[ae]llo")));
        Assert.Equal(["hallo", "hello", "hxllo", "world"], ParseSortedArray(h.Run("KEYS", "*")));
        Assert.Equal("*0\r\n", h.Run("KEYS", "nothing*"));
    }

    [Fact]
    public void Scan_visits_every_key_once_across_calls()
    {
        using var h = new EngineHarness();
        var expected = new List<string>();
        for (int i = 0; i < 250; i++)
        {
            h.Run("SET", $"key:{i}", "v");
            expected.Add($"key:{i}");
        }

        expected.Sort(StringComparer.Ordinal);
        var seen = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            (cursor, List<string> keys) = ParseScan(h.Run("SCAN", cursor, "COUNT", "20"));
            seen.AddRange(keys);
            calls++;
        }
        while (cursor != "0");

        seen.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, seen);
        Assert.True(calls > 5);
    }

    [Fact]
    public void Scan_filters_by_match_and_type()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "s:1", "a", "s:2", "b", "other", "c");
        PutCollection(h, "l:1", ValueKind.List);
        PutCollection(h, "h:1", ValueKind.Hash);
        Assert.Equal(["s:1", "s:2"], ScanAll(h, "MATCH", "s:*"));
        Assert.Equal(["l:1"], ScanAll(h, "TYPE", "list"));
        Assert.Equal(["other", "s:1", "s:2"], ScanAll(h, "type", "STRING"));
        Assert.Equal(["h:1"], ScanAll(h, "MATCH", "*:1", "TYPE", "hash"));
        Assert.Empty(ScanAll(h, "TYPE", "nosuchtype"));
    }

    [Fact]
    public void Scan_refuses_bad_arguments()
    {
        using var h = new EngineHarness();
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "abc"));
        Assert.Equal(Syntax, h.Run("SCAN", "0", "COUNT", "0"));
        Assert.Equal(Syntax, h.Run("SCAN", "0", "MATCH"));
        Assert.Equal(Syntax, h.Run("SCAN", "0", "FOO", "bar"));
        Assert.Equal(NotInteger, h.Run("SCAN", "0", "COUNT", "x"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "0"));
    }

    [Fact]
    public void Randomkey_is_nil_when_empty_and_never_an_expired_key()
    {
        using var h = new EngineHarness();
        Assert.Equal(Nil, h.Run("RANDOMKEY"));
        for (int i = 0; i < 200; i++)
        {
            h.Run("SET", $"gone:{i}", "v", "PX", "10");
        }

        h.Run("SET", "live", "v");
        h.NowMs += 10;
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(Bulk("live"), h.Run("RANDOMKEY"));
        }

        h.Run("DEL", "live");
        Assert.Equal(Nil, h.Run("RANDOMKEY"));
    }

    [Fact]
    public void Randomkey_reaches_every_key()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "a", "1", "b", "2", "c", "3");
        var seen = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            seen.Add(h.Run("RANDOMKEY"));
        }

        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void Flushdb_and_flushall_clear_everything()
    {
        using var h = new EngineHarness();
        h.Run("MSET", "a", "1", "b", "2");
        h.Run("SET", "t", "v", "EX", "10");
        Assert.Equal(Int(3), h.Run("DBSIZE"));
        Assert.Equal(Ok, h.Run("FLUSHDB"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        Assert.Equal(0, h.Machine.Database.ExpiringCount);
        h.Run("SET", "a", "1");
        Assert.Equal(Ok, h.Run("FLUSHALL", "async"));
        h.Run("SET", "a", "1");
        Assert.Equal(Ok, h.Run("FLUSHDB", "SYNC"));
        Assert.Equal(Nil, h.Run("GET", "a"));
    }

    [Fact]
    public void Flush_options_other_than_async_or_sync_are_refused()
    {
        using var h = new EngineHarness();
        h.Run("SET", "a", "1");
        Assert.Equal(Syntax, h.Run("FLUSHALL", "foo"));
        Assert.Equal(Syntax, h.Run("FLUSHDB", "ASYNC", "SYNC"));
        Assert.Equal(Int(1), h.Run("DBSIZE"));
    }

    [Fact]
    public void A_random_mix_of_key_and_string_commands_replays_to_the_same_state()
    {
        using var h = new EngineHarness();
        var random = new Random(20240611);
        string[] keys = ["a", "b", "c", "d", "e", "n1", "n2"];
        for (int step = 0; step < 2000; step++)
        {
            string k = keys[random.Next(keys.Length)];
            string other = keys[random.Next(keys.Length)];
            string number = random.Next(-50, 50).ToString();
            string[] command = random.Next(22) switch
            {
                0 => ["SET", k, number],
                1 => ["SET", k, "v" + number, "PX", random.Next(1, 400).ToString()],
                2 => ["SET", k, "w", "NX", "GET"],
                3 => ["SET", k, "x", "XX", "KEEPTTL"],
                4 => ["APPEND", k, number],
                5 => ["INCRBY", k, number],
                6 => ["INCRBYFLOAT", k, "0.25"],
                7 => ["SETRANGE", k, random.Next(0, 8).ToString(), "zz"],
                8 => ["DEL", k, other],
                9 => ["RENAME", k, other],
                10 => ["RENAMENX", k, other],
                11 => ["EXPIRE", k, random.Next(-1, 3).ToString()],
                12 => ["PEXPIRE", k, random.Next(1, 500).ToString(), random.Next(2) == 0 ? "GT" : "LT"],
                13 => ["PERSIST", k],
                14 => ["GETEX", k, "PX", random.Next(1, 300).ToString()],
                15 => ["GETDEL", k],
                16 => ["MSET", k, number, other, "m"],
                17 => ["MSETNX", k, number, other, "m"],
                18 => ["GETSET", k, number],
                19 => ["SETEX", k, "1", number],
                20 => ["DECR", k],
                _ => ["SETNX", k, number],
            };
            h.Run(command);
            h.NowMs += random.Next(0, 60);
            if (step == 1000)
            {
                h.Run("FLUSHALL");
            }
        }

        using KeyValueStateMachine replayed = h.Replay();
        Assert.Equal(Contents(h.Machine.Database, h.NowMs), Contents(replayed.Database, h.NowMs));
        Assert.NotEmpty(Contents(h.Machine.Database, 0));
    }

    private static List<string> ScanAll(EngineHarness h, params string[] options)
    {
        var seen = new List<string>();
        string cursor = "0";
        do
        {
            (cursor, List<string> keys) = ParseScan(h.Run(["SCAN", cursor, .. options]));
            seen.AddRange(keys);
        }
        while (cursor != "0");
        seen.Sort(StringComparer.Ordinal);
        return seen;
    }

    private static (string Cursor, List<string> Keys) ParseScan(string reply)
    {
        string[] lines = reply.Split("\r\n");
        Assert.Equal("*2", lines[0]);
        string cursor = lines[2];
        int count = int.Parse(lines[3][1..], System.Globalization.CultureInfo.InvariantCulture);
        var keys = new List<string>();
        for (int i = 0; i < count; i++)
        {
            keys.Add(lines[5 + (2 * i)]);
        }

        return (cursor, keys);
    }

    private static List<string> ParseSortedArray(string reply)
    {
        string[] lines = reply.Split("\r\n");
        int count = int.Parse(lines[0][1..], System.Globalization.CultureInfo.InvariantCulture);
        var items = new List<string>();
        for (int i = 0; i < count; i++)
        {
            items.Add(lines[2 + (2 * i)]);
        }

        items.Sort(StringComparer.Ordinal);
        return items;
    }
}
