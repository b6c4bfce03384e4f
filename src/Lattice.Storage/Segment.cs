using System.Runtime.InteropServices;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// One segment file of the log: its identity, how many bytes of whole records it holds, and the highest index each
/// group has in it (what <see cref="WriteAheadLog.ReleaseUpTo"/> needs to decide whether it may be deleted).
/// </summary>
internal sealed class Segment
{
    private readonly Dictionary<ulong, long> _maxIndexByGroup = [];

    public Segment(string path, long sequence, long firstIndex, long sizeBytes)
    {
        Invariant.Check(sequence >= 0, "segment sequences are non-negative");
        Invariant.Check(sizeBytes >= SegmentHeader.Bytes, "a segment holds at least its header");
        Path = path;
        Sequence = sequence;
        FirstIndex = firstIndex;
        SizeBytes = sizeBytes;
        InitialSizeBytes = sizeBytes;
    }

    public string Path { get; }

    public long Sequence { get; }

    public long FirstIndex { get; }

    /// <summary>Bytes of the file that hold whole, written records (header included).</summary>
    public long SizeBytes { get; set; }

    /// <summary>Size of the header and carried-over hard states; a segment always takes one record past this before rolling.</summary>
    public long InitialSizeBytes { get; }

    public int RecordCount { get; set; }

    public void NoteIndex(ulong groupId, long index)
    {
        ref long max = ref CollectionsMarshal.GetValueRefOrAddDefault(_maxIndexByGroup, groupId, out bool exists);
        max = exists ? Math.Max(max, index) : index;
    }

    public bool TryGetMaxIndex(ulong groupId, out long maxIndex) => _maxIndexByGroup.TryGetValue(groupId, out maxIndex);

    /// <summary>True when every entry of every group in the segment is at or below that group's released index.</summary>
    public bool IsCoveredBy(Dictionary<ulong, long> releasedIndexByGroup)
    {
        foreach (KeyValuePair<ulong, long> group in _maxIndexByGroup)
        {
            if (!releasedIndexByGroup.TryGetValue(group.Key, out long released) || group.Value > released)
            {
                return false;
            }
        }

        return true;
    }

    public RecoveredSegment Describe() => new(Path, Sequence, FirstIndex, SizeBytes, RecordCount);
}
