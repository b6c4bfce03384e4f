namespace Lattice.Engine;

/// <summary>What a range is measured in: positions, scores or member bytes.</summary>
internal enum SortedSetRangeKind
{
    Rank,
    Score,
    Lex,
}
