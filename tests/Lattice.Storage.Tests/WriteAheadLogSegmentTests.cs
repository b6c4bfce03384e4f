using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

public sealed class WriteAheadLogSegmentTests
{
    private const long SegmentBytes = 1024;

    [Fact]
    public void Segments_roll_over_before_exceeding_the_size_and_names_sort_in_log_order()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, SegmentBytes))
        {
            AppendRange(wal, 1, 1, 100, 1);
            wal.Flush(sync: true);
            IReadOnlyList<RecoveredSegment> segments = wal.Segments();
            Assert.True(segments.Count >= 6);
            for (int i = 0; i < segments.Count; i++)
            {
                Assert.Equal(i, segments[i].Sequence);
                Assert.True(new FileInfo(segments[i].Path).Length <= SegmentBytes);
                Assert.Equal(segments[i].SizeBytes, RecordsEnd(segments[i].Path));
                if (i < segments.Count - 1)
                {
                    // Only the active segment keeps zeros past its records; a full one is cut back to them.
                    Assert.Equal(segments[i].SizeBytes, new FileInfo(segments[i].Path).Length);
                }
            }

            Assert.Equal(segments.Select(s => s.Path), SegmentPaths(dir.Path));
        }

        using WriteAheadLog reopened = Open(dir.Path, SegmentBytes);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 100, _ => 1);
        Assert.Equal(reopened.Recovery.Segments.Count, SegmentPaths(dir.Path).Length);
    }

    [Fact]
    public void Records_copied_into_the_mapped_segment_are_read_back_across_rolls_and_a_reopen()
    {
        using var dir = new TempDirectory();
        const long Segment = 16 * 1024;
        using (WriteAheadLog wal = Open(dir.Path, Segment))
        {
            // One flush per entry, some synced: the way a node flushes under light load.
            for (long index = 1; index <= 600; index++)
            {
                AppendRange(wal, 1, index, index, 1);
                wal.Flush(sync: index % 7 == 0);
            }

            // Linux maps the active segment; the unsynced flushes that fit the zeros already written are copies into it.
            Assert.Equal(OperatingSystem.IsLinux(), wal.MappedWrites > 450);
            Assert.True(wal.Segments().Count >= 3);
        }

        using WriteAheadLog reopened = Open(dir.Path, Segment);
        Assert.Null(reopened.Recovery.TornTail);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 600, _ => 1);
        foreach (RecoveredSegment segment in reopened.Segments())
        {
            Assert.Equal(segment.SizeBytes, RecordsEnd(segment.Path));
        }
    }

    [Fact]
    public void The_mapped_window_moves_along_a_large_segment()
    {
        using var dir = new TempDirectory();
        const int ExtraBytes = 3000;
        using (WriteAheadLog wal = Open(dir.Path))
        {
            // About 9 MB of records in unsynced flushes of a few records each: the window (2 MiB) moves several times.
            for (long index = 1; index <= 3000; index += 3)
            {
                AppendRange(wal, 1, index, index + 2, 1, ExtraBytes);
                wal.Flush(sync: false);
            }

            wal.Flush(sync: true);
            Assert.Equal(OperatingSystem.IsLinux(), wal.MappedWrites > 900);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Null(reopened.Recovery.TornTail);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 3000, _ => 1, ExtraBytes);
    }

    [Fact]
    public void A_record_larger_than_a_segment_gets_a_segment_of_its_own()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, SegmentBytes))
        {
            wal.Append(1, 1, 1, new byte[10]);
            wal.Append(1, 2, 1, new byte[5000]);
            wal.Append(1, 3, 1, new byte[10]);
            wal.Flush(sync: true);
            Assert.Equal(3, wal.Segments().Count);
        }

        using WriteAheadLog reopened = Open(dir.Path, SegmentBytes);
        List<ReplayedEntry> entries = ReplayAll(reopened, 1);
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Index));
        Assert.Equal(5000, entries[1].Payload.Length);
    }

    [Fact]
    public void ReleaseUpTo_deletes_only_segments_fully_covered_and_never_the_active_one()
    {
        // 65-byte records after a 32-byte header: 15 records per 1024-byte segment, so segment k holds 15k+1..15k+15.
        Assert.Equal(65, EntryRecordBytes());
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path, SegmentBytes);
        AppendRange(wal, 1, 1, 100, 1);
        wal.Flush(sync: true);
        IReadOnlyList<RecoveredSegment> before = wal.Segments();
        Assert.Equal(7, before.Count);

        Assert.Equal(0, wal.ReleaseUpTo(1, 14));
        Assert.Equal(2, wal.ReleaseUpTo(1, 44));
        Assert.False(File.Exists(before[0].Path));
        Assert.False(File.Exists(before[1].Path));
        Assert.True(File.Exists(before[2].Path));
        Assert.Equal(31, ReplayAll(wal, 1)[0].Index);
        AssertEntries(ReplayAll(wal, 1, afterIndex: 44), 1, 45, 100, _ => 1);

        Assert.Equal(4, wal.ReleaseUpTo(1, 1000));
        RecoveredSegment active = Assert.Single(wal.Segments());
        Assert.Equal(before[^1].Path, active.Path);
        Assert.Equal([active.Path], SegmentPaths(dir.Path));
    }

    [Fact]
    public void ReleaseUpTo_keeps_a_segment_while_any_group_in_it_is_not_covered()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path, SegmentBytes);
        for (long i = 1; i <= 60; i++)
        {
            wal.Append(1, i, 1, Payload(1, i, 1));
            if (i <= 3)
            {
                wal.Append(2, i, 1, Payload(2, i, 1));
            }

            wal.Flush(sync: false);
        }

        int segments = wal.Segments().Count;
        Assert.True(segments >= 3);
        Assert.Equal(0, wal.ReleaseUpTo(1, 60));
        Assert.Equal(0, wal.ReleaseUpTo(2, 2));
        Assert.Equal(segments - 1, wal.ReleaseUpTo(2, 3));
        Assert.Single(wal.Segments());
    }

    [Fact]
    public void ReleaseUpTo_then_reopen_replays_from_the_first_kept_entry_and_keeps_hard_state()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, SegmentBytes))
        {
            wal.AppendHardState(1, term: 1, vote: 7, commit: 0);
            for (long i = 1; i <= 100; i++)
            {
                wal.Append(1, i, 1, Payload(1, i, 1));
                wal.Flush(sync: false);
            }

            wal.AppendHardState(1, term: 1, vote: 7, commit: 90);
            wal.Flush(sync: true);
            AppendRange(wal, 1, 101, 101, 1);
            wal.Flush(sync: true);
            Assert.True(wal.ReleaseUpTo(1, 90) > 0);
        }

        using WriteAheadLog reopened = Open(dir.Path, SegmentBytes);
        RecoveredGroup group = reopened.Recovery.Groups[1];
        Assert.Equal(new HardState(1, 7, 90), group.HardState);
        Assert.True(group.FirstIndex is > 1 and <= 91);
        Assert.Equal(101, group.LastIndex);
        AssertEntries(ReplayAll(reopened, 1, afterIndex: 90), 1, 91, 101, _ => 1);
    }

    [Fact]
    public void The_latest_hard_state_survives_when_the_segment_that_held_it_is_released()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, SegmentBytes))
        {
            wal.AppendHardState(1, term: 3, vote: 2, commit: 1);
            wal.Append(1, 1, 3, Payload(1, 1, 3));
            wal.Flush(sync: true);
            for (long i = 2; i <= 60; i++)
            {
                wal.Append(1, i, 3, Payload(1, i, 3));
                wal.Flush(sync: false);
            }

            Assert.True(wal.ReleaseUpTo(1, 59) > 0);
            Assert.DoesNotContain(wal.Segments(), s => s.Sequence == 0);
        }

        using WriteAheadLog reopened = Open(dir.Path, SegmentBytes);
        Assert.Equal(new HardState(3, 2, 1), reopened.Recovery.Groups[1].HardState);
    }
}
