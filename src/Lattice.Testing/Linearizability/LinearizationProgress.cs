namespace Lattice.Testing.Linearizability;

/// <summary>
/// Remembers the deepest point the search reached, to explain a failure: the longest linearizable
/// prefix found, the state after it, and the operation that had to be placed next but could not.
/// </summary>
internal sealed class LinearizationProgress<TState>(TState initialState)
{
    public int[] BestPrefix { get; private set; } = [];

    public TState StateAfterBestPrefix { get; private set; } = initialState;

    /// <summary>Operation index whose return was reached at the best depth while still unplaced; -1 if none yet.</summary>
    public int StuckOperation { get; private set; } = -1;

    public void NoteDepth(ReadOnlySpan<WglSearch<TState>.Frame> frames, LinearizationEntryList entries, TState state)
    {
        if (frames.Length <= BestPrefix.Length)
        {
            return;
        }

        var prefix = new int[frames.Length];
        for (int i = 0; i < frames.Length; i++)
        {
            prefix[i] = entries.OperationIndex(frames[i].CallEntry);
        }

        BestPrefix = prefix;
        StateAfterBestPrefix = state;
        StuckOperation = -1;
    }

    /// <summary>
    /// Notes an unplaced operation's return. Only the first one at the best depth is kept, with the
    /// prefix that led there (another prefix of the same length may have been recorded before).
    /// </summary>
    public void NoteStuck(ReadOnlySpan<WglSearch<TState>.Frame> frames, LinearizationEntryList entries, int operation, TState state)
    {
        if (frames.Length != BestPrefix.Length || StuckOperation >= 0)
        {
            return;
        }

        for (int i = 0; i < frames.Length; i++)
        {
            BestPrefix[i] = entries.OperationIndex(frames[i].CallEntry);
        }

        StuckOperation = operation;
        StateAfterBestPrefix = state;
    }
}
