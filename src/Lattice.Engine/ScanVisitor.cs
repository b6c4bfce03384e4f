namespace Lattice.Engine;

/// <summary>Receives one key and its value during a scan.</summary>
public delegate void ScanVisitor(byte[] key, object value);
