namespace Lattice.Storage;

/// <summary>One segment as recovery read it; <see cref="SizeBytes"/> is after any torn-tail truncation.</summary>
public sealed record RecoveredSegment(string Path, long Sequence, long FirstIndex, long SizeBytes, int RecordCount);
