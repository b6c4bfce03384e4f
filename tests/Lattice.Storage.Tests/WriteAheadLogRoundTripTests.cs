using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

public sealed class WriteAheadLogRoundTripTests
{
    [Fact]
    public void Appended_and_flushed_entries_replay_identically_after_reopen()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            Assert.Empty(wal.Recovery.Groups);
            AppendRange(wal, groupId: 1, 1, 500, term: 3);
            FlushResult flushed = wal.Flush(sync: true);
            Assert.True(flushed.Synced);
            Assert.Equal(500, flushed.RecordCount);
            Assert.True(flushed.TryGetGroup(1, out GroupLogEnd end));
            Assert.Equal(new GroupLogEnd(1, 500, 3), end);
            AssertEntries(ReplayAll(wal, 1), 1, 1, 500, _ => 3);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Null(reopened.Recovery.TornTail);
        Assert.Equal(500, reopened.Recovery.RecordCount);
        Assert.Equal(new RecoveredGroup(1, 1, 500, 3, null), reopened.Recovery.Groups[1]);
        Assert.Equal(500, reopened.AppendedIndex(1));
        Assert.Equal(3, reopened.AppendedTerm(1));
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 500, _ => 3);
    }

    [Fact]
    public void Appending_continues_after_reopen()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            AppendRange(wal, 7, 1, 10, 1);
            wal.Flush(sync: true);
        }

        using (WriteAheadLog wal = Open(dir.Path))
        {
            AppendRange(wal, 7, 11, 20, 2);
            wal.Flush(sync: true);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        AssertEntries(ReplayAll(reopened, 7), 7, 1, 20, i => i <= 10 ? 1 : 2);
    }

    [Fact]
    public void Hard_state_round_trips_and_the_latest_wins()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            wal.AppendHardState(1, term: 1, vote: 2, commit: 0);
            AppendRange(wal, 1, 1, 5, 1);
            wal.AppendHardState(1, term: 2, vote: 3, commit: 4);
            wal.AppendHardState(9, term: 5, vote: 0, commit: 0);
            wal.Flush(sync: true);
            Assert.Equal(new HardState(2, 3, 4), wal.LatestHardState(1));
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Equal(new HardState(2, 3, 4), reopened.Recovery.Groups[1].HardState);
        Assert.Equal(new HardState(5, 0, 0), reopened.Recovery.Groups[9].HardState);
        Assert.Equal(new HardState(2, 3, 4), reopened.LatestHardState(1));
        Assert.Equal(0, reopened.AppendedIndex(9));
        Assert.Empty(ReplayAll(reopened, 9));
    }

    [Fact]
    public void Replay_after_a_snapshot_index_skips_covered_entries()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        AppendRange(wal, 1, 1, 100, 1);
        wal.Flush(sync: true);
        AssertEntries(ReplayAll(wal, 1, afterIndex: 60), 1, 61, 100, _ => 1);
        Assert.Empty(ReplayAll(wal, 1, afterIndex: 100));
        Assert.Equal(40, wal.Replay(1, 60, (_, _, _) => { }));
    }

    [Fact]
    public void Replay_sees_only_flushed_records()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        AppendRange(wal, 1, 1, 3, 1);
        Assert.True(wal.HasPendingWrites);
        Assert.Empty(ReplayAll(wal, 1));
        wal.Flush(sync: false);
        Assert.False(wal.HasPendingWrites);
        Assert.Equal(3, ReplayAll(wal, 1).Count);
    }

    [Fact]
    public void Unsynced_flush_reaches_the_file_and_a_later_sync_reports_it_durable()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        long sequence = wal.Append(1, 1, 1, Payload(1, 1, 1));
        FlushResult written = wal.Flush(sync: false);
        Assert.False(written.Synced);
        Assert.Equal(sequence, written.LastSequence);

        // Visible to another reader through the OS: it would survive a kill of this process.
        string segment = SegmentPaths(dir.Path)[^1];
        Assert.Equal(SegmentHeader.Bytes + EntryRecordBytes(), RecordsEnd(segment));

        FlushResult synced = wal.Flush(sync: true);
        Assert.True(synced.Synced);
        Assert.Equal(0, synced.RecordCount);
        Assert.Equal(sequence, synced.LastSequence);
        Assert.True(synced.TryGetGroup(1, out GroupLogEnd end));
        Assert.Equal(1, end.LastIndex);

        FlushResult nothing = wal.Flush(sync: true);
        Assert.True(nothing.Synced);
        Assert.Empty(nothing.Groups);
    }

    [Fact]
    public void Append_sequences_increase_and_flush_reports_the_last_written()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        long first = wal.Append(1, 1, 1, Payload(1, 1, 1));
        long second = wal.AppendHardState(1, 1, 1, 1);
        long third = wal.Append(2, 10, 1, Payload(2, 10, 1));
        Assert.True(first < second && second < third);
        FlushResult result = wal.Flush(sync: true);
        Assert.Equal(third, result.LastSequence);
        Assert.Equal(3, result.RecordCount);
        Assert.Equal(2, result.Groups.Count);
    }

    [Fact]
    public void Append_rejects_gaps_bad_arguments_and_oversized_payloads()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(new WriteAheadLogOptions { Directory = dir.Path, MaxRecordBytes = 1024 });
        wal.Append(1, 5, 1, Payload(1, 5, 1));
        ArgumentOutOfRangeException gap = Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(1, 7, 1, Payload(1, 7, 1)));
        Assert.Contains("gap", gap.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(1, 0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(1, 6, -1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(1, 6, 1, new byte[1024]));
        wal.Append(1, 6, 1, new byte[1024 - RecordFormat.HeaderBytes]);
        Assert.Equal(6, wal.AppendedIndex(1));
    }

    [Fact]
    public void Pending_bytes_signal_backpressure_and_the_hard_limit_refuses_appends()
    {
        using var dir = new TempDirectory();
        var options = new WriteAheadLogOptions
        {
            Directory = dir.Path, MaxRecordBytes = 4096, PendingBytesHighWater = 2048, PendingBytesMax = 8192,
        };
        using WriteAheadLog wal = WriteAheadLog.Open(options);
        byte[] payload = new byte[1000 - RecordFormat.HeaderBytes];
        wal.Append(1, 1, 1, payload);
        Assert.Equal(1000, wal.PendingBytes);
        Assert.False(wal.NeedsBackpressure);
        wal.Append(1, 2, 1, payload);
        wal.Append(1, 3, 1, payload);
        Assert.True(wal.NeedsBackpressure);
        for (long i = 4; i <= 8; i++)
        {
            wal.Append(1, i, 1, payload);
        }

        Assert.Throws<InvalidOperationException>(() => wal.Append(1, 9, 1, payload));
        wal.Flush(sync: false);
        Assert.Equal(0, wal.PendingBytes);
        wal.Append(1, 9, 1, payload);
        Assert.Equal(8, ReplayAll(wal, 1).Count);
    }

    [Fact]
    public void Append_allocates_nothing_in_steady_state()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        byte[] payload = new byte[100];
        long index = 0;
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 20_000; i++)
            {
                wal.Append(1, ++index, 1, payload);
            }

            wal.Flush(sync: false);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20_000; i++)
        {
            wal.Append(1, ++index, 1, payload);
            wal.AppendHardState(1, 1, 0, index);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Snapshot_marker_supersedes_the_earlier_log_and_entries_resume_after_it()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            AppendRange(wal, 1, 1, 10, 1);
            wal.Flush(sync: true);
            wal.AppendSnapshotMarker(1, index: 50, term: 4);
            Assert.Equal(50, wal.AppendedIndex(1));
            Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(1, 52, 4, Payload(1, 52, 4)));
            AppendRange(wal, 1, 51, 55, 4);
            FlushResult result = wal.Flush(sync: true);
            Assert.True(result.TryGetGroup(1, out GroupLogEnd end));
            Assert.Equal(55, end.LastIndex);
            AssertEntries(ReplayAll(wal, 1), 1, 51, 55, _ => 4);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Equal(new RecoveredGroup(1, 51, 55, 4, null), reopened.Recovery.Groups[1]);
        AssertEntries(ReplayAll(reopened, 1), 1, 51, 55, _ => 4);
    }

    [Fact]
    public void Open_creates_the_layout_and_exposes_it()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        Assert.True(Directory.Exists(wal.WalDirectory));
        Assert.True(Directory.Exists(wal.SnapshotDirectory));
        Assert.True(File.Exists(DataDirectoryLayout.LockFile(dir.Path)));
        string segment = Assert.Single(SegmentPaths(dir.Path));
        Assert.Equal("0000000000000000-0000000000000000.wal", Path.GetFileName(segment));
    }
}
