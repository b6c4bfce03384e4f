using System.Text;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

public sealed class KeyPrefetchTests : IDisposable
{
    private readonly KeyValueStateMachine _machine = new();

    private CommandTable Commands => _machine.Commands;

    public void Dispose() => _machine.Dispose();

    [Theory]
    [InlineData(false, new[] { "MSET", "a", "1", "b", "2" }, new[] { "a", "b" }, new string[0])]
    [InlineData(false, new[] { "SET", "k", "v" }, new[] { "k" }, new string[0])]
    [InlineData(true, new[] { "SET", "k", "v" }, new string[0], new string[0])] // a write, when only reads are wanted
    [InlineData(true, new[] { "get", "k" }, new[] { "k" }, new string[0])]
    [InlineData(true, new[] { "MGET", "a", "b", "c" }, new[] { "a", "b", "c" }, new string[0])]
    [InlineData(false, new[] { "HSET", "h", "f1", "v1", "f2", "v2" }, new[] { "h" }, new[] { "f1", "f2" })]
    [InlineData(false, new[] { "HINCRBY", "h", "f", "5" }, new[] { "h" }, new[] { "f" })]
    [InlineData(true, new[] { "HMGET", "h", "f1", "f2", "f3" }, new[] { "h" }, new[] { "f1", "f2", "f3" })]
    [InlineData(false, new[] { "LPUSH", "l", "x", "y" }, new[] { "l" }, new string[0])]
    [InlineData(false, new[] { "PING" }, new string[0], new string[0])]
    [InlineData(false, new[] { "NOSUCHCOMMAND", "k" }, new string[0], new string[0])]
    [InlineData(false, new[] { "GET", "k", "extra" }, new string[0], new string[0])] // wrong arity
    public void Collects_the_keys_and_fields_of_a_request_and_moves_past_it(
        bool readsOnly, string[] request, string[] keys, string[] fields)
    {
        var database = new Database(hashSeed: 7);
        byte[] bytes = [.. RespEncode(request), .. RespEncode(["PING"])];
        var batch = new KeyPrefetchBatch();
        int at = 0;

        Assert.True(KeyPrefetch.Collect(database, Commands, bytes, ref at, readsOnly, batch));

        Assert.Equal(RespEncode(request).Length, at);
        Assert.Equal(keys.Select(k => database.KeyHash(Encoding.ASCII.GetBytes(k))), batch.Keys.ToArray());
        Assert.Equal(fields.Select(f => HashValue.FieldHash(Encoding.ASCII.GetBytes(f))), batch.Fields.ToArray());
        Assert.All(batch.FieldKeys.ToArray(), index => Assert.Equal(0, index));
    }

    [Fact]
    public void An_incomplete_request_adds_nothing_and_does_not_move()
    {
        byte[] whole = RespEncode(["MSET", "a", "1", "b", "2"]);
        var database = new Database();
        var batch = new KeyPrefetchBatch();
        for (int length = 0; length < whole.Length; length++)
        {
            int at = 0;
            Assert.False(KeyPrefetch.Collect(database, Commands, whole.AsSpan(0, length), ref at, readsOnly: false, batch));
            Assert.Equal(0, at);
            Assert.Equal(0, batch.KeyCount);
        }
    }

    [Fact]
    public void A_full_batch_takes_no_more_keys_or_their_fields()
    {
        var database = new Database();
        var batch = new KeyPrefetchBatch();
        for (int i = 0; i < KeyPrefetchBatch.KeysMax; i++)
        {
            int at = 0;
            Assert.True(KeyPrefetch.Collect(database, Commands, RespEncode(["GET", $"k{i}"]), ref at, readsOnly: true, batch));
        }

        Assert.True(batch.IsFull);
        int next = 0;
        byte[] more = RespEncode(["HMGET", "h", "f1", "f2"]);
        Assert.True(KeyPrefetch.Collect(database, Commands, more, ref next, readsOnly: true, batch));
        Assert.Equal(more.Length, next);
        Assert.Equal(KeyPrefetchBatch.KeysMax, batch.KeyCount);
        Assert.Equal(0, batch.FieldCount);
    }

    [Fact]
    public void A_request_over_the_argument_bound_ends_the_look_ahead_keeping_its_first_keys()
    {
        var database = new Database();
        var batch = new KeyPrefetchBatch();
        string[] mget = ["MGET", .. Enumerable.Range(0, KeyPrefetch.ArgumentsMax + 1).Select(i => $"k{i}")];
        int at = 0;
        Assert.False(KeyPrefetch.Collect(database, Commands, RespEncode(mget), ref at, readsOnly: true, batch));
        Assert.Equal(0, at);
        Assert.Equal(KeyPrefetchBatch.KeysMax, batch.KeyCount);

        batch.Clear();
        string[] bounded = mget[..(KeyPrefetch.ArgumentsMax + 1)];
        Assert.True(KeyPrefetch.Collect(database, Commands, RespEncode(bounded), ref at, readsOnly: true, batch));
        Assert.Equal(RespEncode(bounded).Length, at);
    }

    [Fact]
    public void Requests_on_one_key_add_it_once_with_all_their_fields()
    {
        var database = new Database();
        var batch = new KeyPrefetchBatch();
        byte[] requests = [.. RespEncode(["HSET", "h", "f1", "v"]), .. RespEncode(["HSET", "h", "f2", "v"]), .. RespEncode(["GET", "k"])];
        int at = 0;
        while (at < requests.Length)
        {
            Assert.True(KeyPrefetch.Collect(database, Commands, requests, ref at, readsOnly: false, batch));
        }

        Assert.Equal(2, batch.KeyCount);
        Assert.Equal(new[] { 0, 0 }, batch.FieldKeys.ToArray());
    }

    [Fact]
    public void A_hash_field_is_given_the_hash_its_table_uses_also_after_a_clone()
    {
        var hash = new HashValue();
        byte[] field = "field:1"u8.ToArray();
        hash.Set(field, [1]);
        var clone = (HashValue)hash.Clone();

        Assert.Equal(hash.Fields.HashOf(field), HashValue.FieldHash(field));
        Assert.Equal(clone.Fields.HashOf(field), HashValue.FieldHash(field));
    }

    [Fact]
    public void Prefetching_changes_nothing_and_empties_the_batch()
    {
        using var harness = new EngineHarness();
        for (int i = 0; i < 2000; i++)
        {
            harness.Run("SET", $"s:{i}", $"v{i}");
            harness.Run("HSET", $"h:{i % 10}", $"f{i}", $"x{i}");
        }

        Database database = harness.Machine.Database;
        var batch = new KeyPrefetchBatch();
        int at = 0;
        byte[] requests =
        [
            .. RespEncode(["MGET", "s:1", "s:2", "missing", "h:3"]),
            .. RespEncode(["HMGET", "h:4", "f4", "f14", "nofield"]),
            .. RespEncode(["HGET", "s:5", "f5"]), // fields of a key that holds a string
            .. RespEncode(["HGET", "absent", "f5"]),
        ];
        while (at < requests.Length)
        {
            Assert.True(KeyPrefetch.Collect(database, harness.Machine.Commands, requests, ref at, readsOnly: true, batch));
        }

        Assert.Equal(7, batch.KeyCount);
        Assert.Equal(5, batch.FieldCount);
        database.Prefetch(batch);

        Assert.Equal(0, batch.KeyCount);
        Assert.Equal(0, batch.FieldCount);
        Assert.Equal(2010, database.Count);
        Assert.Equal("$2\r\nv1\r\n", harness.Run("GET", "s:1"));
        Assert.Equal("$3\r\nx14\r\n", harness.Run("HGET", "h:4", "f14"));
        Assert.Equal(":200\r\n", harness.Run("HLEN", "h:4"));
    }

    [Fact]
    public void A_logged_command_entry_gives_its_keys_and_fields()
    {
        using var harness = new EngineHarness();
        harness.Run("HSET", "h", "f1", "v1", "f2", "v2");
        harness.Run("MSET", "a", "1", "b", "2");
        var batch = new KeyPrefetchBatch();

        harness.Machine.CollectKeys(harness.Log[0], batch);
        harness.Machine.CollectKeys(harness.Log[1], batch);
        harness.Machine.CollectKeys([], batch);
        harness.Machine.CollectKeys(harness.Log[1][..^1], batch); // cut short: nothing

        Database database = harness.Machine.Database;
        Assert.Equal(new[] { "h", "a", "b" }.Select(k => database.KeyHash(Encoding.ASCII.GetBytes(k))), batch.Keys.ToArray());
        Assert.Equal(new[] { "f1", "f2" }.Select(f => HashValue.FieldHash(Encoding.ASCII.GetBytes(f))), batch.Fields.ToArray());
    }

    [Fact]
    public void Prefetching_an_empty_database_or_an_empty_batch_is_harmless()
    {
        var database = new Database();
        var batch = new KeyPrefetchBatch();
        database.Prefetch(batch);
        batch.AddField(batch.AddKey(database.KeyHash("k"u8)), HashValue.FieldHash("f"u8));
        batch.AddKey(int.MinValue);
        batch.AddKey(-1);
        database.Prefetch(batch);
        Assert.Equal(0, database.Count);
    }

    private static byte[] RespEncode(string[] args)
    {
        var text = new StringBuilder();
        text.Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            text.Append('$').Append(Encoding.ASCII.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
