namespace Lattice.Engine;

/// <summary>One key as a snapshot captured it: the key, its value, its expiry time (0: none) and its version.</summary>
public readonly record struct SnapshotEntry(byte[] Key, object Value, long ExpireAtMs, long Version);
