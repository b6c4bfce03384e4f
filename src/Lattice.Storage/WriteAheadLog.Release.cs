using Lattice.Common;

namespace Lattice.Storage;

/// <summary>Compaction: deleting segments a durable snapshot has made unnecessary.</summary>
public sealed partial class WriteAheadLog
{
    private readonly Dictionary<ulong, long> _releasedIndexByGroup = [];

    /// <summary>
    /// Declares that the group's entries up to <paramref name="index"/> are covered by a durable snapshot, then
    /// deletes the oldest segments whose entries are all at or below the released index of every group that has
    /// entries in them. Only a prefix of the log is deleted, never the active segment, so an overwrite that
    /// superseded entries in an older segment is never lost while those entries remain. Returns how many segments
    /// were deleted.
    /// </summary>
    public int ReleaseUpTo(ulong groupId, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Segment[] released;
        lock (_segmentsLock)
        {
            _releasedIndexByGroup.TryGetValue(groupId, out long before);
            _releasedIndexByGroup[groupId] = Math.Max(before, index);
            int count = 0;
            while (count < _segments.Count - 1 && _segments[count].IsCoveredBy(_releasedIndexByGroup))
            {
                count++;
            }

            if (count == 0)
            {
                return 0;
            }

            released = [.. _segments.GetRange(0, count)];
            _segments.RemoveRange(0, count);
            Invariant.Check(_segments.Count > 0 && _segments[^1] == _activeSegment, "the active segment is never released");
            var firstKept = new LogPosition(_segments[0].Sequence, 0);
            foreach (GroupLog group in _written.Groups)
            {
                group.PruneCutsBefore(firstKept);
            }
        }

        // Oldest first: if a deletion fails, what remains on disk is still a contiguous run of segments.
        foreach (Segment segment in released)
        {
            File.Delete(segment.Path);
        }

        DirectorySync.Flush(WalDirectory);
        _options.Log?.Invoke($"write-ahead log: released {released.Length} segment(s) up to sequence {released[^1].Sequence}");
        return released.Length;
    }

    /// <summary>The segments currently in the log, oldest first.</summary>
    public IReadOnlyList<RecoveredSegment> Segments()
    {
        lock (_segmentsLock)
        {
            return _segments.ConvertAll(s => s.Describe());
        }
    }
}
