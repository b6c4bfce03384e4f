using Lattice.Server;

namespace Lattice.Server.Tests.InProcess;

public sealed class TransactionTests : IDisposable
{
    private readonly InProcessNode _node = new(AppendFsyncPolicy.No);

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Multi_exec_runs_queued_commands_in_order_including_reads()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SET", "x", "1"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("INCR", "x"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("GET", "x"));
        Assert.Equal("*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Watch_conflict_from_another_client_aborts_exec()
    {
        await using InProcessClient a = _node.Connect();
        await using InProcessClient b = _node.Connect();
        await a.CallAsync("SET", "balance", "10");
        Assert.Equal("+OK\r\n", await a.CallAsync("WATCH", "balance"));
        await a.CallAsync("MULTI");
        await a.CallAsync("INCRBY", "balance", "5");
        Assert.Equal(":20\r\n", await b.CallAsync("INCRBY", "balance", "10"));
        Assert.Equal("*-1\r\n", await a.CallAsync("EXEC"));
        Assert.Equal("$2\r\n20\r\n", await a.CallAsync("GET", "balance"));
    }

    [Fact]
    public async Task Watch_without_conflict_commits_and_exec_forgets_watches()
    {
        await using InProcessClient a = _node.Connect();
        await a.CallAsync("SET", "k", "v");
        await a.CallAsync("WATCH", "k", "other");
        await a.CallAsync("MULTI");
        await a.CallAsync("APPEND", "k", "w");
        Assert.Equal("*1\r\n:2\r\n", await a.CallAsync("EXEC"));
        await a.CallAsync("MULTI");
        await a.CallAsync("GET", "k");
        Assert.Equal("*1\r\n$2\r\nvw\r\n", await a.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Watching_a_key_that_appears_aborts()
    {
        await using InProcessClient a = _node.Connect();
        await using InProcessClient b = _node.Connect();
        await a.CallAsync("WATCH", "fresh");
        await b.CallAsync("SET", "fresh", "1");
        await a.CallAsync("MULTI");
        await a.CallAsync("SET", "fresh", "2");
        Assert.Equal("*-1\r\n", await a.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Queued_errors_abort_with_execabort_and_runtime_errors_do_not()
    {
        await using InProcessClient client = _node.Connect();
        await client.CallAsync("MULTI");
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", await client.CallAsync("GET"));
        await client.CallAsync("SET", "a", "1");
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", await client.CallAsync("EXEC"));
        Assert.Equal("$-1\r\n", await client.CallAsync("GET", "a"));

        await client.CallAsync("SET", "s", "text");
        await client.CallAsync("MULTI");
        await client.CallAsync("LPUSH", "s", "x");
        await client.CallAsync("SET", "b", "2");
        Assert.Equal("*2\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n+OK\r\n", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Control_commands_outside_or_inside_multi_give_redis_errors()
    {
        await using InProcessClient client = _node.Connect();
        Assert.Equal("-ERR EXEC without MULTI\r\n", await client.CallAsync("EXEC"));
        Assert.Equal("-ERR DISCARD without MULTI\r\n", await client.CallAsync("DISCARD"));
        await client.CallAsync("MULTI");
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", await client.CallAsync("MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed\r\n", await client.CallAsync("WATCH", "k"));
        await client.CallAsync("SET", "d", "1");
        Assert.Equal("+OK\r\n", await client.CallAsync("DISCARD"));
        Assert.Equal("$-1\r\n", await client.CallAsync("GET", "d"));
        await client.CallAsync("MULTI");
        Assert.Equal("*0\r\n", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Ping_echo_select_and_time_queue_and_answer_in_order_other_server_commands_abort()
    {
        await using InProcessClient client = _node.Connect();
        await client.CallAsync("MULTI");
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SET", "p", "1"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("PING"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("PING", "hi"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("ECHO", "e"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SELECT", "0"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SELECT", "3"));
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("GET", "p"));
        Assert.Equal(
            "*7\r\n+OK\r\n+PONG\r\n$2\r\nhi\r\n$1\r\ne\r\n+OK\r\n-ERR DB index is out of range\r\n$1\r\n1\r\n",
            await client.CallAsync("EXEC"));

        await client.CallAsync("MULTI");
        await client.CallAsync("TIME");
        string time = await client.CallAsync("EXEC");
        Assert.StartsWith("*1\r\n*2\r\n$", time, StringComparison.Ordinal);

        await client.CallAsync("MULTI");
        Assert.Equal("-ERR Command not allowed inside a transaction\r\n", await client.CallAsync("INFO"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", await client.CallAsync("EXEC"));
        // Outside MULTI the node still answers them itself.
        Assert.Equal("+PONG\r\n", await client.CallAsync("PING"));
        Assert.Equal("-ERR DB index is out of range\r\n", await client.CallAsync("SELECT", "1"));
    }

    [Fact]
    public async Task Reset_leaves_multi_forgets_watches_and_name_and_returns_to_resp2()
    {
        await using InProcessClient client = _node.Connect();
        await using InProcessClient other = _node.Connect();
        await client.CallAsync("HELLO", "3");
        await client.CallAsync("CLIENT", "SETNAME", "before-reset");
        await client.CallAsync("SET", "w", "1");
        await client.CallAsync("WATCH", "w");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "queued", "1");
        Assert.Equal("+RESET\r\n", await client.CallAsync("RESET"));

        Assert.Equal("$-1\r\n", await client.CallAsync("CLIENT", "GETNAME"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", await client.CallAsync("EXEC"));
        Assert.Equal("$-1\r\n", await client.CallAsync("GET", "queued"));
        // RESP2 again: a map-shaped reply comes back as a flat array.
        Assert.StartsWith("*2\r\n", await client.CallAsync("CONFIG", "GET", "appendfsync"), StringComparison.Ordinal);
        // The watch is gone: a change by another client no longer aborts this client's next transaction.
        await other.CallAsync("SET", "w", "2");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "w", "3");
        Assert.Equal("*1\r\n+OK\r\n", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Committed_transactions_replay_after_restart()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lattice-tx-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = new InProcessNode(AppendFsyncPolicy.Always, directory: directory);
            await using (InProcessClient client = first.Connect())
            {
                await client.CallAsync("MULTI");
                await client.CallAsync("RPUSH", "l", "a", "b");
                await client.CallAsync("LRANGE", "l", "0", "-1");
                await client.CallAsync("HSET", "h", "f", "1");
                await client.CallAsync("EXEC");
            }

            first.Close();
            using var second = new InProcessNode(AppendFsyncPolicy.Always, directory: directory);
            await using InProcessClient reader = second.Connect();
            Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", await reader.CallAsync("LRANGE", "l", "0", "-1"));
            Assert.Equal("$1\r\n1\r\n", await reader.CallAsync("HGET", "h", "f"));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
