namespace Lattice.Engine;

/// <summary>The value type of a table used as a set.</summary>
public readonly struct Empty;
