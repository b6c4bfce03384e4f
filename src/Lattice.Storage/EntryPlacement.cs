namespace Lattice.Storage;

/// <summary>How an entry's index relates to the group's log so far.</summary>
internal enum EntryPlacement
{
    /// <summary>The first entry seen for the group (its earlier entries may have been released).</summary>
    First,

    /// <summary>The index right after the last one.</summary>
    Next,

    /// <summary>An index at or below the last one: the suffix from it is replaced.</summary>
    Overwrite,

    /// <summary>An index past last + 1: entries are missing.</summary>
    Gap,
}
