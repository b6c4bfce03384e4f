namespace Lattice.Raft.Tests;

public sealed class UnstableLogTests
{
    private static Entry[] Entries(ulong first, ulong last, ulong term)
    {
        var entries = new Entry[last - first + 1];
        for (ulong index = first; index <= last; index++)
        {
            entries[index - first] = new Entry(term, index, EntryType.Normal, ReadOnlyMemory<byte>.Empty);
        }

        return entries;
    }

    [Fact]
    public void Persisted_entries_become_stable()
    {
        var unstable = new UnstableLog(offset: 1);
        unstable.TruncateAndAppend(Entries(1, 5, 1));
        unstable.MarkHandedOut();
        unstable.StableTo(5, 1);
        Assert.Equal(6ul, unstable.Offset);
        Assert.Equal(0, unstable.Entries.Count);
    }

    /// <summary>
    /// Found by the simulator: entries replaced by a new leader while the host was persisting them must not make
    /// the host write the untouched prefix again (after compaction that write would land below the snapshot).
    /// </summary>
    [Fact]
    public void When_a_tail_was_replaced_during_the_write_the_untouched_prefix_still_becomes_stable()
    {
        var unstable = new UnstableLog(offset: 1);
        unstable.TruncateAndAppend(Entries(1, 5, 1));
        unstable.MarkHandedOut();
        unstable.TruncateAndAppend(Entries(4, 4, 2));
        unstable.StableTo(5, 1);

        Assert.Equal(4ul, unstable.Offset);
        Assert.Equal(1, unstable.Entries.Count);
        Assert.Equal(2ul, unstable.Entries[0].Term);
    }

    [Fact]
    public void When_everything_was_replaced_nothing_becomes_stable()
    {
        var unstable = new UnstableLog(offset: 3);
        unstable.TruncateAndAppend(Entries(3, 5, 1));
        unstable.MarkHandedOut();
        unstable.TruncateAndAppend(Entries(2, 3, 2));
        unstable.StableTo(5, 1);
        Assert.Equal(2ul, unstable.Offset);
        Assert.Equal(2, unstable.Entries.Count);
    }
}
