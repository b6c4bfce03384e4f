using Lattice.Server;

namespace Lattice.Server.Tests.InProcess;

public sealed class ServerCommandTests : IDisposable
{
    private readonly InProcessNode _node = new(AppendFsyncPolicy.No);

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Ping_and_echo_answer_like_redis()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING"));
        Assert.Equal("$5\r\nhello\r\n", await client.CallAsync("ping", "hello"));
        Assert.Equal("$3\r\nabc\r\n", await client.CallAsync("ECHO", "abc"));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command\r\n", await client.CallAsync("ECHO"));
    }

    [Fact]
    public async Task Unknown_command_error_quotes_the_first_arguments()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("-ERR unknown command 'nosuch', with args beginning with: 'a' 'b' \r\n", await client.CallAsync("nosuch", "a", "b"));
        Assert.Equal("-ERR unknown command 'nosuch', with args beginning with: \r\n", await client.CallAsync("nosuch"));
        Assert.StartsWith("-ERR unknown command 'lattice.expire'", await client.CallAsync("lattice.expire", "k"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_3_switches_replies_to_resp3_and_hello_2_back()
    {
        await using InProcessClient client = _node.Connect();
        string hello = await client.CallAsync("HELLO", "3");
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n", hello, StringComparison.Ordinal);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello, StringComparison.Ordinal);
        await client.CallAsync("HSET", "h", "f", "v");
        Assert.Equal("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", await client.CallAsync("HGETALL", "h"));
        Assert.Equal("_\r\n", await client.CallAsync("GET", "missing"));
        Assert.StartsWith("*14\r\n", await client.CallAsync("HELLO", "2"), StringComparison.Ordinal);
        Assert.Equal("$-1\r\n", await client.CallAsync("GET", "missing"));
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", await client.CallAsync("HELLO", "4"));
    }

    [Fact]
    public async Task Select_accepts_only_database_zero()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("SELECT", "0"));
        Assert.Equal("-ERR DB index is out of range\r\n", await client.CallAsync("SELECT", "1"));
    }

    [Fact]
    public async Task Client_names_ids_list_and_kill()
    {
        await using InProcessClient a = _node.Connect();
        await using InProcessClient b = _node.Connect();
        Assert.Equal($":{a.Id}\r\n", await a.CallAsync("CLIENT", "ID"));
        Assert.Equal("$-1\r\n", await a.CallAsync("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", await a.CallAsync("CLIENT", "SETNAME", "worker-1"));
        Assert.Equal("$8\r\nworker-1\r\n", await a.CallAsync("CLIENT", "GETNAME"));
        Assert.StartsWith("-ERR Client names cannot contain spaces", await a.CallAsync("CLIENT", "SETNAME", "bad name"), StringComparison.Ordinal);
        string list = await b.CallAsync("CLIENT", "LIST");
        Assert.Contains($"id={a.Id} ", list, StringComparison.Ordinal);
        Assert.Contains("name=worker-1 ", list, StringComparison.Ordinal);
        Assert.Contains($"id={b.Id} ", list, StringComparison.Ordinal);
        Assert.Equal(":1\r\n", await b.CallAsync("CLIENT", "KILL", "ID", a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await a.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(":0\r\n", await b.CallAsync("CLIENT", "KILL", "ID", "999999"));
    }

    [Fact]
    public async Task Config_get_matches_patterns_and_set_validates_all_pairs_first()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("*2\r\n$11\r\nappendfsync\r\n$2\r\nno\r\n", await client.CallAsync("CONFIG", "GET", "appendfsync"));
        Assert.Equal("*4\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n$4\r\nsave\r\n$0\r\n\r\n", await client.CallAsync("CONFIG", "GET", "appendonly", "save"));
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG", "SET", "appendfsync", "everysec", "maxclients", "77"));
        Assert.Equal(AppendFsyncPolicy.EverySec, _node.Options.AppendFsync);
        Assert.Equal(77, _node.Options.MaxClients);
        string refused = await client.CallAsync("CONFIG", "SET", "appendfsync", "always", "maxclients", "zero");
        Assert.StartsWith("-ERR Invalid argument 'zero' for 'maxclients'", refused, StringComparison.Ordinal);
        Assert.Equal(AppendFsyncPolicy.EverySec, _node.Options.AppendFsync);
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'port')", await client.CallAsync("CONFIG", "SET", "port", "1"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR Unknown option", await client.CallAsync("CONFIG", "SET", "nosuch", "1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_set_protocol_limit_applies_to_the_next_request()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "2048"));
        string reply = await client.CallAsync("SET", "k", new string('x', 4096));
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", reply);
        Assert.Null(await client.TryReadReplyAsync());
    }

    [Fact]
    public async Task Command_count_info_and_docs_describe_the_command_set()
    {
        await using InProcessClient client = _node.Connect();
        string count = await client.CallAsync("COMMAND", "COUNT");
        int commands = int.Parse(count[1..^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(commands > 120, count);
        string info = await client.CallAsync("COMMAND", "INFO", "get", "nosuch");
        Assert.StartsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n", info, StringComparison.Ordinal);
        Assert.EndsWith("*-1\r\n", info, StringComparison.Ordinal);
        string docs = await client.CallAsync("COMMAND", "DOCS", "set");
        Assert.Contains("$7\r\nsummary\r\n", docs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_docs_describe_set_arguments_as_redis_does_in_both_protocols()
    {
        await using InProcessClient client = _node.Connect();

        // RESP2: maps are flat arrays, sets arrays; redis-cli reads either.
        string resp2 = await client.CallAsync("COMMAND", "DOCS", "set");
        Assert.StartsWith("*2\r\n$3\r\nset\r\n*8\r\n$7\r\nsummary\r\n", resp2, StringComparison.Ordinal);
        Assert.Contains(
            "$9\r\narguments\r\n*5\r\n*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
            + "*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
            + "*8\r\n$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n"
            + "*6\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n",
            resp2,
            StringComparison.Ordinal);
        Assert.Contains("*6\r\n$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nEX\r\n", resp2, StringComparison.Ordinal);

        await client.CallAsync("HELLO", "3");
        string resp3 = await client.CallAsync("COMMAND", "DOCS", "set");
        Assert.StartsWith("%1\r\n$3\r\nset\r\n%4\r\n$7\r\nsummary\r\n", resp3, StringComparison.Ordinal);
        Assert.Contains(
            "$9\r\narguments\r\n*5\r\n%2\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n",
            resp3,
            StringComparison.Ordinal);
        Assert.Contains("%4\r\n$4\r\nname\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n$5\r\nflags\r\n~1\r\n+optional\r\n", resp3, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_docs_list_a_containers_subcommands_with_their_arguments()
    {
        await using InProcessClient client = _node.Connect();
        await client.CallAsync("HELLO", "3");
        string docs = await client.CallAsync("COMMAND", "DOCS", "config");
        Assert.Contains("$11\r\nsubcommands\r\n%4\r\n$10\r\nconfig|get\r\n%4\r\n", docs, StringComparison.Ordinal);
        Assert.Contains("$15\r\nparameter_value\r\n$4\r\ntype\r\n$5\r\nblock\r\n$5\r\nflags\r\n~1\r\n+multiple\r\n", docs, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_served_command_has_a_syntax_that_parses()
    {
        var commands = _node.State.Keyspace.Commands.All.Where(spec => (spec.Flags & Lattice.Engine.CommandFlags.Internal) == 0)
            .Concat(_node.State.Commands.All)
            .ToList();
        Assert.True(commands.Count > 130, $"{commands.Count} commands");
        foreach (Lattice.Engine.CommandSpec spec in commands)
        {
            Assert.True(spec.Syntax is not null, $"{spec.Name} has no syntax for COMMAND DOCS");
            _ = spec.Arguments;
            foreach (Lattice.Engine.SubcommandDoc subcommand in spec.Subcommands)
            {
                Assert.StartsWith(spec.Name + "|", subcommand.Name, StringComparison.Ordinal);
                _ = subcommand.Arguments;
            }
        }
    }

    [Fact]
    public async Task Info_reports_the_sections_clients_read()
    {
        await using InProcessClient client = _node.Connect();
        await client.CallAsync("SET", "a", "1");
        await client.CallAsync("SET", "b", "2", "EX", "100");
        string info = await client.CallAsync("INFO");
        foreach (string field in new[] { "# Server", "redis_version:", "process_id:", "# Clients", "connected_clients:", "# Memory", "used_memory:", "# Persistence", "aof_enabled:1", "# Stats", "total_commands_processed:", "# Replication", "role:master", "# Keyspace", "db0:keys=2,expires=1" })
        {
            Assert.Contains(field, info, StringComparison.Ordinal);
        }

        string keyspace = await client.CallAsync("INFO", "keyspace");
        Assert.DoesNotContain("# Server", keyspace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quit_replies_ok_and_closes()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("QUIT"));
        Assert.Null(await client.TryReadReplyAsync());
    }

    [Fact]
    public async Task Protocol_error_answers_and_closes_only_that_connection()
    {
        await using InProcessClient bad = _node.Connect();
        await using InProcessClient good = _node.Connect();
        await bad.SendRawAsync("*1\r\n$-5\r\n"u8.ToArray());
        Assert.StartsWith("-ERR Protocol error:", await bad.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Null(await bad.TryReadReplyAsync());
        Assert.Equal("+PONG\r\n", await good.CallAsync("PING"));
    }

    [Fact]
    public async Task Pipelined_requests_in_one_write_get_replies_in_order()
    {
        await using InProcessClient client = _node.Connect();
        var batch = new List<byte>();
        for (int i = 0; i < 100; i++)
        {
            batch.AddRange(InProcessClient.Encode("INCR", "counter"));
        }

        batch.AddRange("PING\r\n"u8.ToArray());
        await client.SendRawAsync(batch.ToArray());
        for (int i = 1; i <= 100; i++)
        {
            Assert.Equal($":{i}\r\n", await client.ReadReplyAsync());
        }

        Assert.Equal("+PONG\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Time_returns_seconds_and_microseconds()
    {
        await using InProcessClient client = _node.Connect();
        string reply = await client.CallAsync("TIME");
        string[] parts = reply.Split("\r\n");
        long seconds = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.InRange(long.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture), 0, 999_999);
    }

    [Fact]
    public async Task Memory_purge_collects_and_other_subcommands_are_refused()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("MEMORY", "PURGE"));
        Assert.Equal("-ERR unknown subcommand 'doctor'. Try MEMORY HELP.\r\n", await client.CallAsync("MEMORY", "doctor"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", await client.CallAsync("CLIENT", "foo"));
        Assert.Equal("-ERR wrong number of arguments for 'client|kill' command\r\n", await client.CallAsync("CLIENT", "KILL"));
        Assert.Equal("-ERR wrong number of arguments for 'config|set' command\r\n", await client.CallAsync("CONFIG", "SET", "a", "b", "c"));
        Assert.Equal("-ERR wrong number of arguments for 'memory|purge' command\r\n", await client.CallAsync("MEMORY", "purge", "now"));
        Assert.StartsWith("*5\r\n+MEMORY <subcommand>", await client.CallAsync("MEMORY", "HELP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_persistence_counts_log_flushes()
    {
        await using InProcessClient client = _node.Connect();
        await client.CallAsync("SET", "k", "v");
        string info = await client.CallAsync("INFO", "persistence");
        Assert.Matches(@"log_flushes:[1-9]", info);
        Assert.Contains("log_fsyncs:0\r\n", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_asks_the_host_to_stop()
    {
        await using InProcessClient client = _node.Connect();
        await client.SendRawAsync(InProcessClient.Encode("SHUTDOWN"));
        Assert.Null(await client.TryReadReplyAsync());
        Assert.True(_node.ShutdownRequested);
    }
}
