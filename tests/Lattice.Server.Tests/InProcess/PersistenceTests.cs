using Lattice.Server;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.InProcess;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _temp = new("lattice-persist");

    private string DataDirectory => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Save_writes_a_snapshot_that_a_restart_loads_before_the_log_tail()
    {
        var first = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        await using (InProcessClient client = first.Connect())
        {
            for (int i = 0; i < 200; i++)
            {
                await client.CallAsync("SET", $"key:{i}", $"value:{i}");
            }

            await client.CallAsync("ZADD", "z", "1.5", "m");
            Assert.Equal("+OK\r\n", await client.CallAsync("SAVE"));
            await client.CallAsync("SET", "after-snapshot", "yes");
            Assert.Contains("rdb_changes_since_last_save:1\r\n", await client.CallAsync("INFO", "persistence"), StringComparison.Ordinal);
        }

        first.Close();
        Assert.Single(Directory.GetFiles(Path.Combine(DataDirectory, "snapshots", $"group-{ClusterNode.KeyspaceGroupId}"), "*.snap"));
        var second = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        try
        {
            await using InProcessClient reader = second.Connect();
            Assert.Equal(":202\r\n", await reader.CallAsync("DBSIZE"));
            Assert.Equal("$9\r\nvalue:199\r\n", await reader.CallAsync("GET", "key:199"));
            Assert.Equal("$3\r\nyes\r\n", await reader.CallAsync("GET", "after-snapshot"));
            Assert.Equal("$3\r\n1.5\r\n", await reader.CallAsync("ZSCORE", "z", "m"));
            Assert.Contains(second.Log, line => line.Contains("loaded snapshot", StringComparison.Ordinal));
        }
        finally
        {
            second.Close();
        }
    }

    [Fact]
    public async Task Bgsave_starts_a_snapshot_and_lastsave_reports_its_time()
    {
        using var node = new InProcessNode(AppendFsyncPolicy.No, directory: DataDirectory);
        await using InProcessClient client = node.Connect();
        await client.CallAsync("SET", "a", "1");
        string reply = await client.CallAsync("BGSAVE");
        Assert.Equal("+Background saving started\r\n", reply);
        await node.WaitForSnapshotAsync();
        Assert.True(node.Cluster.LastSnapshotSucceeded);
        Assert.Contains("rdb_bgsave_in_progress:0\r\n", await client.CallAsync("INFO", "persistence"), StringComparison.Ordinal);
        string lastSave = await client.CallAsync("LASTSAVE");
        Assert.InRange(long.Parse(lastSave[1..^2], System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Automatic_snapshots_release_old_log_segments()
    {
        var node = new InProcessNode(AppendFsyncPolicy.No, options =>
        {
            options.SegmentBytes = 64 * 1024;
            options.SnapshotLogBytes = 96 * 1024;
        }, DataDirectory);
        await OverwriteAsync(node, writes: 1000, keys: 50, valueBytes: 1000, waitEvery: 100);
        int segments = Directory.GetFiles(Path.Combine(DataDirectory, "wal")).Length;
        long logBytes = node.Cluster.LogBytesOnDisk;
        node.Close();
        // About 1 MB was logged; without release there would be ~16 segments of 64 KiB.
        Assert.True(segments <= 8, $"{segments} segments, {logBytes} bytes left");
        await AssertReopensWithKeysAsync(DataDirectory, 50);
    }

    [Fact]
    public async Task Alone_a_node_snapshots_a_large_dataset_once_the_log_grows_by_snapshot_log_percent_of_it()
    {
        // 100 keys of 2,000 bytes (a 200 KB snapshot), then 1 MB of overwrites, with snapshot-log-bytes at 32 KB.
        long everyFixedSize = await SnapshotsForOverwritesAsync(percent: 0, Path.Combine(DataDirectory, "fixed"));
        long proportional = await SnapshotsForOverwritesAsync(percent: 100, Path.Combine(DataDirectory, "proportional"));
        Assert.True(everyFixedSize >= 20, $"{everyFixedSize} snapshots every 32 KB of a 1.2 MB log");
        Assert.True(proportional <= 12 && proportional * 3 <= everyFixedSize,
            $"{proportional} snapshots at 100 % of a 200 KB dataset, against {everyFixedSize} every 32 KB");
    }

    private static async Task<long> SnapshotsForOverwritesAsync(int percent, string directory)
    {
        var node = new InProcessNode(AppendFsyncPolicy.No, options =>
        {
            options.SnapshotLogBytes = 32 * 1024;
            options.SnapshotLogPercent = percent;
        }, directory);
        // Waiting for the running snapshot every 10 writes lets every threshold crossed start one.
        await OverwriteAsync(node, writes: 600, keys: 100, valueBytes: 2000, waitEvery: 10);
        long snapshots = node.Cluster.SnapshotsTaken;
        node.Close();
        await AssertReopensWithKeysAsync(directory, 100);
        return snapshots;
    }

    /// <summary>SETs <paramref name="writes"/> values round-robin over <paramref name="keys"/> keys, waiting for snapshots as it goes.</summary>
    private static async Task OverwriteAsync(InProcessNode node, int writes, int keys, int valueBytes, int waitEvery)
    {
        string value = new('v', valueBytes);
        await using InProcessClient client = node.Connect();
        for (int i = 0; i < writes; i++)
        {
            await client.CallAsync("SET", $"k{i % keys}", value);
            if (i % waitEvery == 0)
            {
                await node.WaitForSnapshotAsync();
            }
        }

        await node.WaitForSnapshotAsync();
    }

    private static async Task AssertReopensWithKeysAsync(string directory, int keys)
    {
        var reopened = new InProcessNode(AppendFsyncPolicy.No, directory: directory);
        try
        {
            await using InProcessClient reader = reopened.Connect();
            Assert.Equal($":{keys}\r\n", await reader.CallAsync("DBSIZE"));
        }
        finally
        {
            reopened.Close();
        }
    }

    [Fact]
    public async Task Active_expiry_logs_deletes_so_replay_agrees()
    {
        var node = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        await using (InProcessClient client = node.Connect())
        {
            for (int i = 0; i < 30; i++)
            {
                await client.CallAsync("SET", $"t{i}", "x", "PX", "1");
            }

            await client.CallAsync("SET", "keep", "x");
            // Nobody reads the keys: only active expiry (sampling on the Raft thread, logged as deletes) removes them.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            string size;
            while ((size = await client.CallAsync("DBSIZE")) != ":1\r\n")
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"DBSIZE {size.Trim()} after 20 s: {node.Cluster.ActiveExpiredKeys} keys expired actively");
                await Task.Delay(20);
            }

            Assert.Equal(30, node.Cluster.ActiveExpiredKeys);
        }

        node.Close();
        var reopened = new InProcessNode(AppendFsyncPolicy.Always, directory: DataDirectory);
        try
        {
            Assert.Equal(1, reopened.Database.Count);
        }
        finally
        {
            reopened.Close();
        }
    }
}
