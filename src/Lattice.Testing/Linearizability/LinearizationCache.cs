using Lattice.Common;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// Lowe's memoization for the WGL search: the (set of linearized operations, model state) pairs
/// already reached. Reaching a pair again cannot lead anywhere new, so that branch is pruned.
/// The set's hash is kept incrementally (an XOR of one random word per operation), so a probe
/// costs one state hash plus, on a hash match, a compare of the bit words.
/// </summary>
internal sealed class LinearizationCache<TState>
{
    private readonly HashSet<Entry> _seen;
    private readonly int _maxEntries;

    public LinearizationCache(IEqualityComparer<TState> stateComparer, int maxEntries)
    {
        Invariant.Check(maxEntries > 0, "cache must be allowed at least one entry");
        _seen = new HashSet<Entry>(new EntryComparer(stateComparer));
        _maxEntries = maxEntries;
    }

    public int Count => _seen.Count;

    public bool IsFull => _seen.Count >= _maxEntries;

    /// <summary>Records the pair; false if it was already present. Copies the bits only when new.</summary>
    public bool TryAdd(ulong[] linearizedBits, ulong linearizedHash, TState state)
    {
        var probe = new Entry(linearizedBits, linearizedHash, state);
        if (_seen.Contains(probe))
        {
            return false;
        }

        bool added = _seen.Add(new Entry((ulong[])linearizedBits.Clone(), linearizedHash, state));
        Invariant.Check(added, "a pair absent a moment ago must be addable");
        return true;
    }

    private readonly record struct Entry(ulong[] Bits, ulong BitsHash, TState State);

    private sealed class EntryComparer(IEqualityComparer<TState> stateComparer) : IEqualityComparer<Entry>
    {
        public bool Equals(Entry x, Entry y) =>
            x.BitsHash == y.BitsHash
            && stateComparer.Equals(x.State, y.State)
            && x.Bits.AsSpan().SequenceEqual(y.Bits);

        public int GetHashCode(Entry obj)
        {
            int stateHash = obj.State is null ? 0 : stateComparer.GetHashCode(obj.State);
            return HashCode.Combine(obj.BitsHash, stateHash);
        }
    }
}
