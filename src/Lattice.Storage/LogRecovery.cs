using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// Reads every segment in order and validates it, without writing anything. The last segment may end in zeros (laid
/// down ahead of the writes): its records end where they start. A bad record in the last segment with no valid
/// record anywhere after it is a torn tail (reported, truncated later by the caller); any other damage —
/// a bad record in an earlier segment, a bad record followed by a valid one, a bad header, a missing segment, an
/// index gap — throws <see cref="CorruptLogException"/> naming the file and offset.
/// </summary>
internal static class LogRecovery
{
    public static RecoveredLog Scan(string walDirectory, WriteAheadLogOptions options)
    {
        Invariant.Check(Directory.Exists(walDirectory), "the wal directory exists before recovery");
        List<string> stale = [];
        List<SegmentFile> files = ListSegments(walDirectory, options.SegmentCountMax, stale);
        var groups = new GroupLogSet(options.GroupCountMax);
        var segments = new List<Segment>(files.Count);
        long recordCount = 0;
        TornTail? tornTail = null;
        for (int i = 0; i < files.Count; i++)
        {
            bool isLast = i == files.Count - 1;
            segments.Add(ScanSegment(files[i], isLast, groups, options.MaxRecordBytes, ref recordCount, ref tornTail));
        }

        Invariant.Check(tornTail is null || tornTail.Path == files[^1].Path, "only the last segment can have a torn tail");
        return new RecoveredLog(segments, groups, recordCount, tornTail, stale);
    }

    private static List<SegmentFile> ListSegments(string walDirectory, int segmentCountMax, List<string> stale)
    {
        var files = new List<SegmentFile>();
        foreach (string path in Directory.EnumerateFiles(walDirectory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFileName.Extension + SegmentFileName.TemporarySuffix, StringComparison.Ordinal))
            {
                stale.Add(path);
            }
            else if (SegmentFileName.TryParse(name, out long sequence, out long firstIndex))
            {
                files.Add(new SegmentFile(path, sequence, firstIndex));
            }
            else if (name.EndsWith(SegmentFileName.Extension, StringComparison.Ordinal))
            {
                throw new CorruptLogException(path, 0, "a segment file has a name that does not parse as <sequence>-<firstIndex>.wal");
            }

            if (files.Count > segmentCountMax)
            {
                throw new CorruptLogException(walDirectory, 0, $"more than {segmentCountMax} segment files");
            }
        }

        files.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        for (int i = 1; i < files.Count; i++)
        {
            if (files[i].Sequence != files[i - 1].Sequence + 1)
            {
                throw new CorruptLogException(
                    files[i].Path, 0, $"segment sequence {files[i - 1].Sequence + 1} is missing between {files[i - 1].Sequence} and {files[i].Sequence}");
            }
        }

        return files;
    }

    private static Segment ScanSegment(
        SegmentFile file, bool isLast, GroupLogSet groups, int maxRecordBytes, ref long recordCount, ref TornTail? tornTail)
    {
        using SafeFileHandle handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(handle);
        Segment segment = ReadHeader(handle, file, length);
        using var reader = new SegmentRecordReader(handle, SegmentHeader.Bytes, length, maxRecordBytes);
        while (true)
        {
            long offset = reader.Offset;
            RecordReadStatus status = reader.TryReadNext(out RecordHeader header, out ReadOnlySpan<byte> payload);
            if (status == RecordReadStatus.End)
            {
                return segment;
            }

            if (status == RecordReadStatus.Bad)
            {
                tornTail = ClassifyBadRecord(handle, file.Path, offset, length, isLast, reader.Problem, maxRecordBytes);
                return segment;
            }

            string? problem = RecordPlacer.TryPlace(header, payload, new LogPosition(file.Sequence, offset), segment, groups);
            if (problem is not null)
            {
                throw new CorruptLogException(file.Path, offset, problem);
            }

            segment.SizeBytes = reader.Offset;
            segment.RecordCount++;
            recordCount++;
        }
    }

    private static Segment ReadHeader(SafeFileHandle handle, SegmentFile file, long length)
    {
        Span<byte> bytes = stackalloc byte[SegmentHeader.Bytes];
        int read = length >= SegmentHeader.Bytes ? RandomAccess.Read(handle, bytes, 0) : (int)length;
        if (!SegmentHeader.TryRead(bytes[..read], out SegmentHeader header, out string problem))
        {
            throw new CorruptLogException(file.Path, 0, problem);
        }

        if (header.Sequence != file.Sequence || header.FirstIndex != file.FirstIndex)
        {
            throw new CorruptLogException(
                file.Path, 0, $"segment header says sequence {header.Sequence}, first index {header.FirstIndex}, but the file name says {file.Sequence}, {file.FirstIndex}");
        }

        return new Segment(file.Path, file.Sequence, file.FirstIndex, SegmentHeader.Bytes);
    }

    /// <summary>Null when the rest of the last segment is zeros: the clean end of its records.</summary>
    private static TornTail? ClassifyBadRecord(
        SafeFileHandle handle, string path, long offset, long length, bool isLast, string problem, int maxRecordBytes)
    {
        if (!isLast)
        {
            // A segment's zeros are cut off before the next segment is created, so an earlier one ends in a record.
            throw new CorruptLogException(path, offset, $"{problem} in a segment that is not the last one");
        }

        if (RecordResync.IsZeroTo(handle, offset, length))
        {
            return null;
        }

        long next = RecordResync.FindNextValidRecord(handle, offset + 1, length, maxRecordBytes);
        if (next >= 0)
        {
            throw new CorruptLogException(path, offset, $"{problem}, followed by a valid record at offset {next} (damage in the middle of the log, not a torn tail)");
        }

        return new TornTail(path, offset, length - offset, problem);
    }

    private readonly record struct SegmentFile(string Path, long Sequence, long FirstIndex);
}
