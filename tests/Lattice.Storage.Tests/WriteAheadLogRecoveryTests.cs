using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

/// <summary>Recovery must tell a torn tail (truncate, report, continue) from damage in the middle (refuse, touch nothing).</summary>
public sealed class WriteAheadLogRecoveryTests
{
    private const int Entries = 5;

    [Fact]
    public void Truncating_inside_the_last_record_at_every_offset_recovers_the_prefix_and_reports_the_tear()
    {
        using var original = new TempDirectory();
        WriteEntries(original.Path, Entries);
        long recordBytes = EntryRecordBytes();
        long lastRecordStart = SegmentHeader.Bytes + ((Entries - 1) * recordBytes);
        string segmentName = Path.GetFileName(Assert.Single(SegmentPaths(original.Path)));

        for (long cut = lastRecordStart + 1; cut < lastRecordStart + recordBytes; cut++)
        {
            using var copy = new TempDirectory();
            CopyDirectory(original.Path, copy.Path);
            string segment = Path.Combine(copy.Wal, segmentName);
            Truncate(segment, cut);
            var messages = new List<string>();
            using (WriteAheadLog wal = Open(copy.Path, log: messages))
            {
                TornTail torn = Assert.IsType<TornTail>(wal.Recovery.TornTail);
                Assert.Equal(segment, torn.Path);
                Assert.Equal(lastRecordStart, torn.Offset);
                Assert.Equal(cut - lastRecordStart, torn.BytesRemoved);
                Assert.Equal(lastRecordStart, new FileInfo(segment).Length);
                string message = Assert.Single(messages);
                Assert.Contains("torn tail truncated", message, StringComparison.Ordinal);
                Assert.Contains(segment, message, StringComparison.Ordinal);
                Assert.Contains($"offset {lastRecordStart}", message, StringComparison.Ordinal);
                AssertEntries(ReplayAll(wal, 1), 1, 1, Entries - 1, _ => 1);

                // The log continues cleanly where the valid prefix ended.
                Assert.Equal(Entries - 1, wal.AppendedIndex(1));
                AppendRange(wal, 1, Entries, Entries + 1, 2);
                wal.Flush(sync: true);
            }

            using WriteAheadLog reopened = Open(copy.Path);
            Assert.Null(reopened.Recovery.TornTail);
            AssertEntries(ReplayAll(reopened, 1), 1, 1, Entries + 1, i => i < Entries ? 1 : 2);
        }
    }

    [Fact]
    public void A_cut_exactly_at_a_record_boundary_is_a_clean_end()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        Truncate(segment, SegmentHeader.Bytes + (3 * EntryRecordBytes()));
        using WriteAheadLog wal = Open(dir.Path);
        Assert.Null(wal.Recovery.TornTail);
        AssertEntries(ReplayAll(wal, 1), 1, 1, 3, _ => 1);
    }

    [Fact]
    public void The_zeros_the_log_lays_down_past_its_records_are_a_clean_end_and_stay()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long recordsEnd = SegmentHeader.Bytes + (Entries * EntryRecordBytes());
        long length = new FileInfo(segment).Length;
        Assert.Equal(recordsEnd, RecordsEnd(segment));
        Assert.True(length > recordsEnd, "the log writes zeros ahead of its records");

        var messages = new List<string>();
        using (WriteAheadLog wal = Open(dir.Path, log: messages))
        {
            Assert.Null(wal.Recovery.TornTail);
            Assert.Empty(messages);
            Assert.Equal(recordsEnd, wal.Recovery.Segments[^1].SizeBytes);
            Assert.Equal(length, new FileInfo(segment).Length);
            AssertEntries(ReplayAll(wal, 1), 1, 1, Entries, _ => 1);

            // Records continue over the zeros, right after the last one.
            AppendRange(wal, 1, Entries + 1, Entries + 2, 1);
            wal.Flush(sync: true);
        }

        Assert.Equal(recordsEnd + (2 * EntryRecordBytes()), RecordsEnd(segment));
        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Null(reopened.Recovery.TornTail);
        AssertEntries(ReplayAll(reopened, 1), 1, 1, Entries + 2, _ => 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(4096)]
    public void Zeros_after_the_last_record_of_any_length_are_a_clean_end(int zeroBytes)
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long validLength = CutZeroTail(segment);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(new byte[zeroBytes]);
        }

        using WriteAheadLog wal = Open(dir.Path);
        Assert.Null(wal.Recovery.TornTail);
        Assert.Equal(validLength, wal.Recovery.Segments[^1].SizeBytes);
        AssertEntries(ReplayAll(wal, 1), 1, 1, Entries, _ => 1);
    }

    [Fact]
    public void A_non_zero_byte_far_into_the_zeros_is_a_torn_tail_and_is_cut_off()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long recordsEnd = RecordsEnd(segment);
        long length = new FileInfo(segment).Length;
        FlipByte(segment, length - 7);

        using WriteAheadLog wal = Open(dir.Path);
        Assert.Equal(recordsEnd, wal.Recovery.TornTail!.Offset);
        Assert.Equal(length - recordsEnd, wal.Recovery.TornTail.BytesRemoved);
        Assert.Equal(recordsEnd, new FileInfo(segment).Length);
        AssertEntries(ReplayAll(wal, 1), 1, 1, Entries, _ => 1);
    }

    [Fact]
    public void Zeros_after_the_records_of_a_segment_that_is_not_the_last_stop_startup()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, 1024))
        {
            AppendRange(wal, 1, 1, 16, 4);
            wal.Flush(sync: true);
        }

        string[] segments = SegmentPaths(dir.Path);
        Assert.True(segments.Length >= 2);
        long end = new FileInfo(segments[0]).Length;
        Assert.Equal(RecordsEnd(segments[0]), end);
        using (var stream = new FileStream(segments[0], FileMode.Append))
        {
            stream.Write(new byte[64]);
        }

        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path, 1024));
        Assert.Equal(segments[0], error.FilePath);
        Assert.Equal(end, error.Offset);
        Assert.Contains("not the last one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_last_record_with_a_bad_checksum_followed_by_zeros_is_a_torn_tail()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long lastRecordStart = SegmentHeader.Bytes + ((Entries - 1) * EntryRecordBytes());
        FlipByte(segment, lastRecordStart + RecordFormat.HeaderBytes + 3);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(new byte[512]);
        }

        using WriteAheadLog wal = Open(dir.Path);
        Assert.Equal(lastRecordStart, wal.Recovery.TornTail!.Offset);
        Assert.Contains("checksum", wal.Recovery.TornTail.Reason, StringComparison.Ordinal);
        AssertEntries(ReplayAll(wal, 1), 1, 1, Entries - 1, _ => 1);
    }

    [Fact]
    public void A_bad_last_record_followed_by_garbage_that_holds_no_valid_record_is_a_torn_tail()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, Entries);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long validLength = CutZeroTail(segment);
        var garbage = new byte[300];
        new Random(5).NextBytes(garbage);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(garbage);
        }

        using WriteAheadLog wal = Open(dir.Path);
        Assert.Equal(validLength, wal.Recovery.TornTail!.Offset);
        Assert.Equal(300, wal.Recovery.TornTail.BytesRemoved);
        AssertEntries(ReplayAll(wal, 1), 1, 1, Entries, _ => 1);
    }

    [Fact]
    public void A_torn_tail_after_a_rollover_keeps_the_carried_hard_state()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, 1024))
        {
            wal.AppendHardState(1, 4, 2, 0);
            AppendRange(wal, 1, 1, 16, 4);
            wal.Flush(sync: true);
            Assert.Equal(2, wal.Segments().Count);
        }

        string last = SegmentPaths(dir.Path)[^1];
        Truncate(last, CutZeroTail(last) - 1);
        using WriteAheadLog reopened = Open(dir.Path, 1024);
        Assert.Equal(last, reopened.Recovery.TornTail!.Path);
        Assert.Equal(new HardState(4, 2, 0), reopened.Recovery.Groups[1].HardState);
        Assert.Equal(15, reopened.AppendedIndex(1));
    }

    [Fact]
    public void More_segments_than_the_limit_stop_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 60, segmentSizeBytes: 1024);
        var options = new WriteAheadLogOptions { Directory = dir.Path, SegmentSizeBytes = 1024, SegmentCountMax = 2 };
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => WriteAheadLog.Open(options));
        Assert.Contains("more than 2 segment files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flipping_any_byte_of_a_record_followed_by_valid_records_stops_startup_and_changes_nothing()
    {
        using var original = new TempDirectory();
        WriteEntries(original.Path, Entries);
        long recordBytes = EntryRecordBytes();
        long victimStart = SegmentHeader.Bytes + (2 * recordBytes);
        string segmentName = Path.GetFileName(Assert.Single(SegmentPaths(original.Path)));

        for (long offset = victimStart; offset < victimStart + recordBytes; offset++)
        {
            using var copy = new TempDirectory();
            CopyDirectory(original.Path, copy.Path);
            string segment = Path.Combine(copy.Wal, segmentName);
            FlipByte(segment, offset);
            Dictionary<string, byte[]> before = ReadAllFiles(copy.Path);

            CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(copy.Path));
            Assert.Equal(segment, error.FilePath);
            Assert.Equal(victimStart, error.Offset);
            Assert.Contains(segment, error.Message, StringComparison.Ordinal);
            Assert.Contains($"offset {victimStart}", error.Message, StringComparison.Ordinal);
            AssertSameFiles(before, ReadAllFiles(copy.Path));

            // The failed open released the directory lock.
            Assert.Throws<CorruptLogException>(() => Open(copy.Path));
        }
    }

    [Fact]
    public void A_bad_record_in_a_segment_that_is_not_the_last_stops_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 60, segmentSizeBytes: 1024);
        string[] segments = SegmentPaths(dir.Path);
        Assert.True(segments.Length >= 3);
        long lastRecordOfFirst = SegmentHeader.Bytes + (14 * EntryRecordBytes());
        FlipByte(segments[0], lastRecordOfFirst + 40);
        Dictionary<string, byte[]> before = ReadAllFiles(dir.Path);

        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path, 1024));
        Assert.Equal(segments[0], error.FilePath);
        Assert.Equal(lastRecordOfFirst, error.Offset);
        Assert.Contains("not the last", error.Message, StringComparison.Ordinal);
        AssertSameFiles(before, ReadAllFiles(dir.Path));
    }

    [Fact]
    public void A_truncated_segment_that_is_not_the_last_stops_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 60, segmentSizeBytes: 1024);
        string[] segments = SegmentPaths(dir.Path);
        Truncate(segments[1], new FileInfo(segments[1]).Length - 10);
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path, 1024));
        Assert.Equal(segments[1], error.FilePath);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(31)]
    public void A_bad_segment_header_stops_startup(int offset)
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 60, segmentSizeBytes: 1024);
        string[] segments = SegmentPaths(dir.Path);
        foreach (string victim in new[] { segments[0], segments[^1] })
        {
            FlipByte(victim, offset);
            Dictionary<string, byte[]> before = ReadAllFiles(dir.Path);
            CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path, 1024));
            Assert.Equal(victim, error.FilePath);
            Assert.Equal(0, error.Offset);
            Assert.Contains("segment header", error.Message, StringComparison.Ordinal);
            AssertSameFiles(before, ReadAllFiles(dir.Path));
            FlipByte(victim, offset);
        }

        using WriteAheadLog wal = Open(dir.Path, 1024);
        Assert.Equal(60, wal.AppendedIndex(1));
    }

    [Fact]
    public void A_segment_shorter_than_its_header_stops_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 3);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        Truncate(segment, 10);
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path));
        Assert.Contains("incomplete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_middle_segment_stops_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 60, segmentSizeBytes: 1024);
        string[] segments = SegmentPaths(dir.Path);
        File.Delete(segments[1]);
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path, 1024));
        Assert.Equal(segments[2], error.FilePath);
        Assert.Contains("sequence 1 is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_gap_stops_startup_with_a_clear_error()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 3);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        CutZeroTail(segment);
        long gapOffset = AppendRawEntry(segment, 1, 5, 1, Payload(1, 5, 1));
        AppendRawEntry(segment, 1, 6, 1, Payload(1, 6, 1));
        Dictionary<string, byte[]> before = ReadAllFiles(dir.Path);

        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path));
        Assert.Equal(segment, error.FilePath);
        Assert.Equal(gapOffset, error.Offset);
        Assert.Contains("index gap", error.Message, StringComparison.Ordinal);
        Assert.Contains("entry index 5 of group 1 follows index 3", error.Message, StringComparison.Ordinal);
        AssertSameFiles(before, ReadAllFiles(dir.Path));
    }

    [Fact]
    public void A_stray_file_with_a_segment_extension_stops_startup()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 3);
        string stray = Path.Combine(dir.Wal, "garbage.wal");
        File.WriteAllBytes(stray, [1, 2, 3]);
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => Open(dir.Path));
        Assert.Equal(stray, error.FilePath);
    }

    [Fact]
    public void An_unfinished_segment_creation_is_cleaned_up()
    {
        using var dir = new TempDirectory();
        WriteEntries(dir.Path, 3);
        string leftover = Path.Combine(dir.Wal, SegmentFileName.Format(1, 4) + SegmentFileName.TemporarySuffix);
        File.WriteAllBytes(leftover, new byte[7]);
        var messages = new List<string>();
        using WriteAheadLog wal = Open(dir.Path, log: messages);
        Assert.False(File.Exists(leftover));
        Assert.Contains(messages, m => m.Contains(leftover, StringComparison.Ordinal));
        Assert.Equal(3, wal.AppendedIndex(1));
    }

    [Fact]
    public void Replay_reports_corruption_that_appears_after_startup()
    {
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        AppendRange(wal, 1, 1, 5, 1);
        wal.Flush(sync: true);
        string segment = Assert.Single(SegmentPaths(dir.Path));
        long victim = SegmentHeader.Bytes + EntryRecordBytes();
        FlipByte(segment, victim + RecordFormat.HeaderBytes);
        CorruptLogException error = Assert.Throws<CorruptLogException>(() => ReplayAll(wal, 1));
        Assert.Equal(victim, error.Offset);
        Assert.Equal(segment, error.FilePath);
    }

    private static void WriteEntries(string dataDirectory, int count, long segmentSizeBytes = 64 * WriteAheadLogOptions.MiB)
    {
        using WriteAheadLog wal = Open(dataDirectory, segmentSizeBytes);
        AppendRange(wal, 1, 1, count, 1);
        wal.Flush(sync: true);
    }
}
