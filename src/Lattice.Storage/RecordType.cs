namespace Lattice.Storage;

/// <summary>What a log record holds. Zero is not a type, so a zero-filled tail never parses as a record.</summary>
internal enum RecordType : byte
{
    /// <summary>A log entry of a group: index, term and an opaque payload.</summary>
    Entry = 1,

    /// <summary>A group's term, vote and commit index; the latest one in the log wins.</summary>
    HardState = 2,

    /// <summary>The group's log now starts after this index (a snapshot replaced everything up to it).</summary>
    SnapshotMarker = 3,
}
