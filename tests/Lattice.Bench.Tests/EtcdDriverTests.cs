using System.Text;
using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;

namespace Lattice.Bench.Tests;

/// <summary>The etcd driver against a real etcd (apt package etcd-server): gRPC over HTTP/2 cleartext with hand-written protobuf.</summary>
public sealed class EtcdDriverTests : IDisposable
{
    private readonly ExternalServer _etcd = ExternalServer.StartEtcd();

    [Fact]
    public async Task Put_range_and_txn_round_trip()
    {
        using var client = new EtcdKvClient(_etcd.Endpoint);
        byte[] key = Encoding.ASCII.GetBytes("user-test-1");
        await _etcd.WaitUntilAsync(async () =>
        {
            await client.PutAsync(key, Encoding.ASCII.GetBytes("first"), CancellationToken.None);
            return true;
        });

        EtcdRangeResult read = await client.RangeAsync(key, default, 0, captureFirstValue: true, CancellationToken.None);
        Assert.Equal(1, read.KeyValueCount);
        Assert.Equal(1, read.Count);
        Assert.Equal("first", Encoding.ASCII.GetString(read.FirstValue!));
        Assert.True(read.FirstModRevision > 0);

        // A compare on a stale mod_revision fails and changes nothing; on the current one it puts.
        Assert.False(await client.PutIfModRevisionAsync(key, read.FirstModRevision - 1, Encoding.ASCII.GetBytes("stale"), CancellationToken.None));
        Assert.Equal("first", Encoding.ASCII.GetString((await client.RangeAsync(key, default, 0, true, CancellationToken.None)).FirstValue!));
        Assert.True(await client.PutIfModRevisionAsync(key, read.FirstModRevision, Encoding.ASCII.GetBytes("second"), CancellationToken.None));
        EtcdRangeResult after = await client.RangeAsync(key, default, 0, true, CancellationToken.None);
        Assert.Equal("second", Encoding.ASCII.GetString(after.FirstValue!));
        Assert.True(after.FirstModRevision > read.FirstModRevision);

        // mod_revision 0 means "absent": the Txn creates a missing key, once.
        byte[] fresh = Encoding.ASCII.GetBytes("user-test-2");
        Assert.Equal(0, (await client.RangeAsync(fresh, default, 0, false, CancellationToken.None)).KeyValueCount);
        Assert.True(await client.PutIfModRevisionAsync(fresh, 0, Encoding.ASCII.GetBytes("x"), CancellationToken.None));
        Assert.False(await client.PutIfModRevisionAsync(fresh, 0, Encoding.ASCII.GetBytes("y"), CancellationToken.None));
    }

    [Fact]
    public async Task Ranged_range_honours_the_limit()
    {
        using var client = new EtcdKvClient(_etcd.Endpoint);
        await _etcd.WaitUntilAsync(async () =>
        {
            await client.PutAsync(Encoding.ASCII.GetBytes("scan/0"), Encoding.ASCII.GetBytes("v"), CancellationToken.None);
            return true;
        });
        for (int i = 1; i < 10; i++)
        {
            await client.PutAsync(Encoding.ASCII.GetBytes($"scan/{i}"), Encoding.ASCII.GetBytes("v"), CancellationToken.None);
        }

        EtcdRangeResult page = await client.RangeAsync(Encoding.ASCII.GetBytes("scan/3"), Encoding.ASCII.GetBytes("scan0"), 4, true, CancellationToken.None);
        Assert.Equal(4, page.KeyValueCount);
        Assert.Equal(7, page.Count);
    }

    [Fact]
    public async Task Workloads_run_without_errors()
    {
        var target = new EtcdTarget([_etcd.Endpoint], valueSizeBytes: 100, seed: 1, TimeProvider.System);
        using var probe = new EtcdKvClient(_etcd.Endpoint);
        await _etcd.WaitUntilAsync(async () =>
        {
            await probe.PutAsync(Encoding.ASCII.GetBytes("ready"), Encoding.ASCII.GetBytes("1"), CancellationToken.None);
            return true;
        });
        var runner = new BenchRunner(TimeProvider.System);
        var load = new BenchSettings { Workload = CoreWorkloads.Find("F")!, RecordCount = 200, Clients = 4, LoadClients = 8 };
        await runner.LoadAsync(target, load, CancellationToken.None);
        foreach (string name in new[] { "F", "E" })
        {
            BenchResult result = await runner.RunAsync(target, load with { Workload = CoreWorkloads.Find(name)!, OperationCount = 400 }, CancellationToken.None);
            Assert.Equal(400, result.Operations);
            Assert.Equal(0, result.Errors);
            Assert.Equal(0, result.NotFound);
            Assert.True(result.Latency.P50Ns > 0);
        }
    }

    public void Dispose() => _etcd.Dispose();
}
