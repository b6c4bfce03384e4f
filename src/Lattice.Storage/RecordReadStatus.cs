namespace Lattice.Storage;

internal enum RecordReadStatus
{
    /// <summary>A whole record with a valid checksum.</summary>
    Record,

    /// <summary>The end of the readable range, exactly at a record boundary.</summary>
    End,

    /// <summary>The bytes at the current offset are not a valid record; see the reader's Problem.</summary>
    Bad,
}
