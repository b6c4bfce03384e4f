using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>Streaming the resolved log of one group back out of the segment files.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Streams the group's entries with index &gt; <paramref name="afterIndex"/> in index order, after
    /// last-writer-wins resolution, reading the segments record by record (one record in memory at a time).
    /// Reads what has been flushed; records still in the batch are not seen. Checksums are verified again.
    /// Returns how many entries were visited.
    /// </summary>
    public long Replay(ulong groupId, long afterIndex, ReplayVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReplaySegment[] segments;
        LogCut[] cuts;
        lock (_segmentsLock)
        {
            segments = new ReplaySegment[_segments.Count];
            for (int i = 0; i < segments.Length; i++)
            {
                Segment segment = _segments[i];
                bool needed = segment.TryGetMaxIndex(groupId, out long maxIndex) && maxIndex > afterIndex;
                segments[i] = new ReplaySegment(segment.Path, segment.Sequence, segment.SizeBytes, needed);
            }

            cuts = _written.TryGet(groupId, out GroupLog group) ? group.CopyCuts() : [];
        }

        long[] firstDeadAfter = SuffixMinimum(cuts);
        var state = new ReplayState(groupId, afterIndex, cuts, firstDeadAfter);
        foreach (ReplaySegment segment in segments)
        {
            if (segment.Needed)
            {
                ReplaySegmentFile(segment, ref state, visitor);
            }
        }

        return state.Visited;
    }

    private void ReplaySegmentFile(ReplaySegment segment, ref ReplayState state, ReplayVisitor visitor)
    {
        using SafeFileHandle handle = SegmentFiles.OpenForRead(segment.Path);
        using var reader = new SegmentRecordReader(handle, SegmentHeader.Bytes, segment.SizeBytes, _options.MaxRecordBytes);
        while (true)
        {
            long offset = reader.Offset;
            RecordReadStatus status = reader.TryReadNext(out RecordHeader header, out ReadOnlySpan<byte> payload);
            if (status == RecordReadStatus.End)
            {
                return;
            }

            if (status == RecordReadStatus.Bad)
            {
                throw new CorruptLogException(segment.Path, offset, $"{reader.Problem} (found during replay)");
            }

            if (header.Type != RecordType.Entry || header.GroupId != state.GroupId || header.Index <= state.AfterIndex)
            {
                continue;
            }

            if (state.IsSuperseded(new LogPosition(segment.Sequence, offset), header.Index))
            {
                continue;
            }

            Invariant.Check(state.LastVisited == 0 || header.Index == state.LastVisited + 1, "replayed entries are contiguous");
            visitor(header.Index, header.Term, payload);
            state.LastVisited = header.Index;
            state.Visited++;
        }
    }

    /// <summary>result[i] = the lowest FirstDeadIndex among cuts[i..]; an entry before cut i dies if its index reaches it.</summary>
    private static long[] SuffixMinimum(LogCut[] cuts)
    {
        var result = new long[cuts.Length + 1];
        result[cuts.Length] = long.MaxValue;
        for (int i = cuts.Length - 1; i >= 0; i--)
        {
            result[i] = Math.Min(result[i + 1], cuts[i].FirstDeadIndex);
        }

        return result;
    }

    private readonly record struct ReplaySegment(string Path, long Sequence, long SizeBytes, bool Needed);

    /// <summary>Progress of one replay; the cursor moves forward through the cuts as positions increase.</summary>
    private struct ReplayState(ulong groupId, long afterIndex, LogCut[] cuts, long[] firstDeadAfter)
    {
        private int _cursor;

        public readonly ulong GroupId => groupId;

        public readonly long AfterIndex => afterIndex;

        public long LastVisited { get; set; }

        public long Visited { get; set; }

        /// <summary>True when a later cut (an overwrite or snapshot marker after this position) superseded the entry.</summary>
        public bool IsSuperseded(LogPosition position, long index)
        {
            while (_cursor < cuts.Length && cuts[_cursor].Position <= position)
            {
                _cursor++;
            }

            return index >= firstDeadAfter[_cursor];
        }
    }
}
