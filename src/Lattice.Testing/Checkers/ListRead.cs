using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>An Ok read of a list with its decoded elements.</summary>
internal sealed record ListRead(HistoryOperation Operation, IReadOnlyList<string> Elements);
