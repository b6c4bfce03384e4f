namespace Lattice.Storage;

/// <summary>A snapshot file that passed verification: where it is, the log position it covers and its payload size.</summary>
public sealed record SnapshotInfo(string Path, long Index, long Term, long PayloadBytes);
