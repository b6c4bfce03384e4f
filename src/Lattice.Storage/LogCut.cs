namespace Lattice.Storage;

/// <summary>
/// A point where a group's log was cut back: every entry of the group written before <see cref="Position"/> with
/// index ≥ <see cref="FirstDeadIndex"/> is superseded (a Raft conflict overwrite, or a snapshot marker with
/// <see cref="long.MinValue"/>). Replay uses these to resolve last-writer-wins without holding entries in memory.
/// </summary>
internal readonly record struct LogCut(LogPosition Position, long FirstDeadIndex);
