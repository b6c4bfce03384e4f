namespace Lattice.Storage;

/// <summary>Where a group's log ends after a flush. An overwrite in the batch can make this lower than an index written before it.</summary>
public readonly record struct GroupLogEnd(ulong GroupId, long LastIndex, long LastTerm);
