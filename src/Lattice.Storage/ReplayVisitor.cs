namespace Lattice.Storage;

/// <summary>Receives one log entry during replay; the payload span is valid only during the call.</summary>
public delegate void ReplayVisitor(long index, long term, ReadOnlySpan<byte> payload);
