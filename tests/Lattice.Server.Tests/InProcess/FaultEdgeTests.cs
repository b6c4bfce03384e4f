using Lattice.Server;

namespace Lattice.Server.Tests.InProcess;

/// <summary>Inputs and crash shapes that once stopped or desynchronised the node (found in review).</summary>
public sealed class FaultEdgeTests : IDisposable
{
    private readonly TempDirectory _temp = new("lattice-edge");

    private string DataDirectory => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_command_or_transaction_larger_than_a_log_record_is_refused_and_the_node_keeps_serving()
    {
        using var node = new InProcessNode(AppendFsyncPolicy.Always, options => options.LogRecordBytesMax = 64 * 1024, DataDirectory);
        await using InProcessClient client = node.Connect();
        string big = new('x', 40 * 1024);
        Assert.StartsWith("-ERR command too large for the log", await client.CallAsync("MSET", "a", big, "b", big), StringComparison.Ordinal);
        Assert.Equal(":0\r\n", await client.CallAsync("DBSIZE"));

        await client.CallAsync("MULTI");
        Assert.Equal("+QUEUED\r\n", await client.CallAsync("SET", "a", big));
        Assert.StartsWith("-ERR transaction too large", await client.CallAsync("SET", "b", big), StringComparison.Ordinal);
        Assert.StartsWith("-EXECABORT", await client.CallAsync("EXEC"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CallAsync("SET", "small", "1"));
    }

    [Fact]
    public async Task String_size_checks_give_the_same_result_live_and_on_replay_whatever_proto_max_bulk_len_says()
    {
        var first = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        string live;
        await using (InProcessClient client = first.Connect())
        {
            await client.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "1024");
            await client.CallAsync("SET", "k", new string('a', 1000));
            await client.CallAsync("APPEND", "k", new string('b', 40));
            live = await client.CallAsync("STRLEN", "k");
        }

        first.Close();
        var second = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        try
        {
            await using InProcessClient reader = second.Connect();
            Assert.Equal(live, await reader.CallAsync("STRLEN", "k"));
        }
        finally
        {
            second.Close();
        }
    }

    [Fact]
    public async Task A_logged_request_wider_than_the_default_multibulk_limit_applies()
    {
        using var node = new InProcessNode(AppendFsyncPolicy.No, directory: DataDirectory);
        await using InProcessClient client = node.Connect();
        Assert.Equal("+OK\r\n", await client.CallAsync("CONFIG", "SET", "proto-max-multibulk-len", "2000000"));
        var args = new string[1_048_580];
        args[0] = "RPUSH";
        args[1] = "wide";
        Array.Fill(args, "v", 2, args.Length - 2);
        Assert.Equal($":{args.Length - 2}\r\n", await client.CallAsync(args));
    }

    [Fact]
    public async Task A_log_that_lost_its_tail_below_the_snapshot_continues_from_the_snapshot()
    {
        var first = new InProcessNode(AppendFsyncPolicy.No, directory: DataDirectory);
        await using (InProcessClient client = first.Connect())
        {
            for (int i = 0; i < 20; i++)
            {
                await client.CallAsync("SET", $"k{i}", "v");
            }

            Assert.Equal("+OK\r\n", await client.CallAsync("SAVE"));
        }

        first.Close();
        // A power loss that took the log's last records but not the (fsynced) snapshot.
        string segment = Directory.GetFiles(Path.Combine(DataDirectory, "wal"))[^1];
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        var second = new InProcessNode(AppendFsyncPolicy.No, directory: DataDirectory);
        try
        {
            await using InProcessClient client = second.Connect();
            Assert.Equal(":20\r\n", await client.CallAsync("DBSIZE"));
            Assert.Equal("+OK\r\n", await client.CallAsync("SET", "after", "restart"));
        }
        finally
        {
            second.Close();
        }

        var third = new InProcessNode(AppendFsyncPolicy.No, directory: DataDirectory);
        try
        {
            Assert.Equal(21, third.Database.Count);
        }
        finally
        {
            third.Close();
        }
    }
}
