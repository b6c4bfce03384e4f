namespace Lattice.Storage;

/// <summary>
/// A group's log after last-writer-wins resolution: entries <see cref="FirstIndex"/>..<see cref="LastIndex"/>
/// (none when FirstIndex &gt; LastIndex, e.g. only a hard state or a snapshot marker), and its latest hard state.
/// </summary>
public sealed record RecoveredGroup(ulong GroupId, long FirstIndex, long LastIndex, long LastTerm, HardState? HardState);
