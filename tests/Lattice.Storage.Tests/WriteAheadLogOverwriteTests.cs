using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

/// <summary>Raft conflict overwrite: appending at an index at or below the last replaces the suffix from it.</summary>
public sealed class WriteAheadLogOverwriteTests
{
    [Fact]
    public void Overwrite_in_a_later_flush_replaces_the_suffix()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            AppendRange(wal, 1, 1, 10, 1);
            wal.Flush(sync: true);
            AppendRange(wal, 1, 6, 8, 2);
            Assert.Equal(8, wal.AppendedIndex(1));
            FlushResult result = wal.Flush(sync: true);
            Assert.True(result.TryGetGroup(1, out GroupLogEnd end));
            Assert.Equal(new GroupLogEnd(1, 8, 2), end);
            AssertEntries(ReplayAll(wal, 1), 1, 1, 8, i => i <= 5 ? 1 : 2);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Equal(new RecoveredGroup(1, 1, 8, 2, null), reopened.Recovery.Groups[1]);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 8, i => i <= 5 ? 1 : 2);
        AssertEntries(ReplayAll(reopened, 1, afterIndex: 6), 1, 7, 8, _ => 2);
    }

    [Fact]
    public void Overwrite_inside_one_batch_and_repeated_overwrites_resolve_to_the_last_writer()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            AppendRange(wal, 1, 1, 10, 1);
            AppendRange(wal, 1, 4, 12, 2);
            AppendRange(wal, 1, 9, 9, 3);
            wal.Flush(sync: true);
            AppendRange(wal, 1, 10, 11, 3);
            AppendRange(wal, 1, 2, 3, 4);
            wal.Flush(sync: false);
            AppendRange(wal, 1, 4, 6, 4);
            wal.Flush(sync: true);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Equal(6, reopened.AppendedIndex(1));
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 6, i => i == 1 ? 1 : 4);
    }

    [Fact]
    public void Overwrite_across_segments_hides_entries_in_older_segments()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, segmentSizeBytes: 1024))
        {
            for (long i = 1; i <= 60; i++)
            {
                wal.Append(1, i, 1, Payload(1, i, 1));
                wal.Flush(sync: false);
            }

            Assert.True(wal.Segments().Count > 3);
            AppendRange(wal, 1, 5, 7, 2);
            wal.Flush(sync: true);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 7, i => i <= 4 ? 1 : 2);
    }

    [Fact]
    public void Overwrites_of_one_group_leave_other_groups_alone()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path))
        {
            for (long i = 1; i <= 10; i++)
            {
                wal.Append(1, i, 1, Payload(1, i, 1));
                wal.Append(2, i, 1, Payload(2, i, 1));
            }

            AppendRange(wal, 1, 3, 3, 5);
            wal.Flush(sync: true);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, 3, i => i < 3 ? 1 : 5);
        AssertEntries(ReplayAll(reopened, 2), 2, 1, 10, _ => 1);
    }
}
