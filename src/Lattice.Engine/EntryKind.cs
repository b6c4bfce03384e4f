namespace Lattice.Engine;

/// <summary>The first byte of a log entry's payload.</summary>
public enum EntryKind : byte
{
    /// <summary>One write command.</summary>
    Command = 1,

    /// <summary>MULTI/EXEC: watched key versions, then the queued commands, applied atomically.</summary>
    Transaction = 2,

    /// <summary>No state change (a new leader's first entry, a barrier).</summary>
    Noop = 3,
}
