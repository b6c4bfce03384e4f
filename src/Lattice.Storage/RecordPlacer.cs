namespace Lattice.Storage;

/// <summary>
/// Applies one checksum-valid record to the group logs and the segment's index bounds, and says what is wrong with
/// it if anything. Recovery turns a problem into <see cref="CorruptLogException"/>; the flusher treats it as a bug.
/// </summary>
internal static class RecordPlacer
{
    /// <summary>Null when the record was placed, else what is wrong with it.</summary>
    public static string? TryPlace(
        in RecordHeader header, ReadOnlySpan<byte> payload, LogPosition position, Segment segment, GroupLogSet groups)
    {
        GroupLog? group = groups.GetOrAdd(header.GroupId);
        if (group is null)
        {
            return $"group {header.GroupId} exceeds the limit of {groups.Count} groups";
        }

        return header.Type switch
        {
            RecordType.Entry => PlaceEntry(header, position, segment, group),
            RecordType.HardState => PlaceHardState(header, payload, group),
            RecordType.SnapshotMarker => PlaceSnapshotMarker(header, position, segment, group),
            _ => $"unknown record type {(byte)header.Type}",
        };
    }

    private static string? PlaceEntry(in RecordHeader header, LogPosition position, Segment segment, GroupLog group)
    {
        if (header.Index < 1 || header.Term < 0)
        {
            return $"entry of group {header.GroupId} has invalid index {header.Index} or term {header.Term}";
        }

        long lastBefore = group.LastIndex;
        if (group.PlaceEntry(header.Index, header.Term, position) == EntryPlacement.Gap)
        {
            return $"entry index {header.Index} of group {header.GroupId} follows index {lastBefore}: entries are missing (index gap)";
        }

        segment.NoteIndex(header.GroupId, header.Index);
        return null;
    }

    private static string? PlaceHardState(in RecordHeader header, ReadOnlySpan<byte> payload, GroupLog group)
    {
        if (payload.Length != RecordFormat.HardStatePayloadBytes)
        {
            return $"hard state of group {header.GroupId} has {payload.Length} payload bytes, expected {RecordFormat.HardStatePayloadBytes}";
        }

        HardState state = RecordFormat.ReadHardStatePayload(payload);
        if (state.Term != header.Term || state.Commit != header.Index || state.Term < 0 || state.Commit < 0)
        {
            return $"hard state of group {header.GroupId} disagrees with its record header or is negative";
        }

        group.HardState = state;
        return null;
    }

    private static string? PlaceSnapshotMarker(in RecordHeader header, LogPosition position, Segment segment, GroupLog group)
    {
        if (header.Index < 0 || header.Term < 0 || header.PayloadLength != 0)
        {
            return $"snapshot marker of group {header.GroupId} is malformed (index {header.Index}, term {header.Term})";
        }

        group.PlaceSnapshotMarker(header.Index, header.Term, position);
        segment.NoteIndex(header.GroupId, header.Index);
        return null;
    }
}
