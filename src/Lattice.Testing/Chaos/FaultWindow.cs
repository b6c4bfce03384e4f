namespace Lattice.Testing.Chaos;

/// <summary>One injected fault: its family, what exactly was done, and when (milliseconds since the run began).</summary>
public sealed record FaultWindow(string Kind, string Description, double StartMs, double EndMs);
