namespace Lattice.Storage;

/// <summary>The incomplete end of the last segment that recovery cut off: the file was truncated to <see cref="Offset"/>.</summary>
public sealed record TornTail(string Path, long Offset, long BytesRemoved, string Reason);
