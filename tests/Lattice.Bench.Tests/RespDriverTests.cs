using System.Text;
using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;

namespace Lattice.Bench.Tests;

/// <summary>The RESP driver against a real redis-server (apt package redis-server).</summary>
public sealed class RespDriverTests : IDisposable
{
    private readonly ExternalServer _redis = ExternalServer.StartRedis();

    [Fact]
    public async Task Batch_operations_do_what_the_workload_says()
    {
        RespConnection connection = await ConnectAsync(new byte[] { (byte)'v', (byte)'1' });
        await using var _ = connection;
        var batch = new OperationBatch(8);
        batch.Add(OperationKind.Insert, 1);
        batch.Add(OperationKind.Insert, 2);
        batch.Add(OperationKind.Insert, 3);
        batch.Add(OperationKind.Read, 2);
        batch.Add(OperationKind.Read, 99);
        batch.Add(OperationKind.Scan, 1, scanLength: 2);
        batch.Add(OperationKind.ReadModifyWrite, 3);
        batch.Add(OperationKind.Update, 1);
        await connection.ExecuteAsync(batch, CancellationToken.None);

        OperationOutcome[] expected = [OperationOutcome.Ok, OperationOutcome.Ok, OperationOutcome.Ok, OperationOutcome.Ok, OperationOutcome.NotFound, OperationOutcome.Ok, OperationOutcome.Ok, OperationOutcome.Ok];
        Assert.Equal(expected, batch.Outcomes);
        Assert.All(batch.CompletedTimestamps, t => Assert.True(t > 0));
        Assert.Equal(":3\r\n", Reply(await connection.CommandAsync(["ZCARD", "ycsb:index"], CancellationToken.None)));
        Assert.Equal("$2\r\nv1\r\n", Reply(await connection.CommandAsync(["GET", Key(2)], CancellationToken.None)));
    }

    [Fact]
    public async Task Workloads_run_without_errors_pipelined()
    {
        var target = new RespTarget("redis", [_redis.Endpoint], pipelineDepth: 4, valueSizeBytes: 100, seed: 1, TimeProvider.System);
        await (await ConnectAsync([])).DisposeAsync();
        var runner = new BenchRunner(TimeProvider.System);
        var settings = new BenchSettings { Workload = CoreWorkloads.Find("A")!, RecordCount = 500, Clients = 3, LoadClients = 4 };
        await runner.LoadAsync(target, settings, CancellationToken.None);
        foreach (string name in CoreWorkloads.Names)
        {
            BenchResult result = await runner.RunAsync(target, settings with { Workload = CoreWorkloads.Find(name)!, OperationCount = 2000 }, CancellationToken.None);
            Assert.Equal(2000, result.Operations);
            Assert.Equal(0, result.Errors);
            Assert.True(result.NotFound < 20, $"{name}: {result.NotFound} not found");
        }
    }

    [Fact]
    public void Parser_measures_whole_replies_only()
    {
        byte[] reply = Encoding.ASCII.GetBytes("*2\r\n$3\r\nabc\r\n*1\r\n:5\r\n+OK\r\n");
        Assert.Equal(reply.Length - 5, RespReplyParser.TryParse(reply, out RespReply head));
        Assert.Equal((byte)'*', head.Kind);
        Assert.Equal(2, head.Number);
        for (int cut = 0; cut < reply.Length - 5; cut++)
        {
            Assert.Equal(0, RespReplyParser.TryParse(reply.AsSpan(0, cut), out _));
        }

        Assert.Equal(-1, RespReplyParser.TryParse("?x\r\n"u8, out _));
        Assert.Equal(5, RespReplyParser.TryParse("$-1\r\n"u8, out RespReply nil));
        Assert.True(nil.IsNull);
    }

    public void Dispose() => _redis.Dispose();

    private async Task<RespConnection> ConnectAsync(byte[] value)
    {
        RespConnection? connection = null;
        await _redis.WaitUntilAsync(async () =>
        {
            connection = await RespConnection.ConnectAsync(_redis.Endpoint, TimeProvider.System, value, CancellationToken.None);
            return true;
        });
        return connection!;
    }

    private static string Key(long record)
    {
        byte[] key = new byte[RecordKey.MaxLength];
        return Encoding.ASCII.GetString(key, 0, RecordKey.Write(record, key));
    }

    private static string Reply(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}
