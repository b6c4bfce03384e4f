using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A Redis list: a deque of <see cref="ListPage"/>s, each packing up to 128 elements (8 KB) into one array, as
/// Redis's quicklist packs listpacks. Pushes and pops at either end are O(1); index access walks pages from the
/// nearer end, O(n / 128), as Redis's is O(n); inserts and replacements in the middle rebuild one page. A list of
/// millions of elements is thousands of arrays, not millions of objects, so it costs the collector and the memory
/// little, and a clone copies only the page table: pages are shared and copied when first changed.
/// </summary>
public sealed class ListValue : CollectionValue
{
    /// <summary>Most elements a list holds (its count and indices are ints).</summary>
    public const int CountMax = int.MaxValue - 1;

    private const int PagesInitial = 2;

    // The page object and the two array headers.
    private const long PageOverheadBytes = 72;
    private const int SnapshotScratchBytes = 256;

    private ListPage[] _pages;
    private int _pageHead;
    private int _pageCount;
    private int _count;

    // Sum of element lengths, kept as elements come and go so EstimateBytes is O(1).
    private long _elementBytes;

    // Pages whose owner is not this token are shared with a clone and are copied before they change.
    private object _owner = new();

    public ListValue()
    {
        _pages = new ListPage[PagesInitial];
    }

    public override ValueKind Kind => ValueKind.List;

    /// <summary>False when <paramref name="adding"/> more elements would pass <see cref="CountMax"/>.</summary>
    public bool HasRoomFor(long adding) => _count + adding <= CountMax;

    public override int Count => _count;

    /// <summary>Pages in use, for tests of how full they stay.</summary>
    internal int PageCount => _pageCount;

    /// <summary>The element at logical <paramref name="index"/> (0 = head); valid until the list changes.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            Invariant.Check((uint)index < (uint)_count, "list index in range");
            int ordinal = Locate(index, out int inPage);
            return PageAt(ordinal)[inPage];
        }
    }

    /// <summary>The first element; valid until the list changes.</summary>
    public ReadOnlySpan<byte> Front
    {
        get
        {
            Invariant.Check(_count > 0, "a non-empty list has a front");
            return PageAt(0)[0];
        }
    }

    /// <summary>The last element; valid until the list changes.</summary>
    public ReadOnlySpan<byte> Back
    {
        get
        {
            Invariant.Check(_count > 0, "a non-empty list has a back");
            ListPage last = PageAt(_pageCount - 1);
            return last[last.Count - 1];
        }
    }

    /// <summary>The first element when <paramref name="front"/>, else the last; valid until the list changes.</summary>
    public ReadOnlySpan<byte> End(bool front) => front ? Front : Back;

    public void Push(ReadOnlySpan<byte> element, bool front)
    {
        if (front)
        {
            PushFront(element);
        }
        else
        {
            PushBack(element);
        }
    }

    public void RemoveEnd(bool front)
    {
        if (front)
        {
            RemoveFront();
        }
        else
        {
            RemoveBack();
        }
    }

    public void PushFront(ReadOnlySpan<byte> element)
    {
        if (_pageCount == 0 || !PageAt(0).CanTake(element.Length))
        {
            InsertPage(0, new ListPage(_owner, element.Length));
        }

        OwnPage(0).PushFront(element);
        Added(element.Length);
    }

    public void PushBack(ReadOnlySpan<byte> element)
    {
        if (_pageCount == 0 || !PageAt(_pageCount - 1).CanTake(element.Length))
        {
            InsertPage(_pageCount, new ListPage(_owner, element.Length));
        }

        OwnPage(_pageCount - 1).PushBack(element);
        Added(element.Length);
    }

    public void RemoveFront()
    {
        Invariant.Check(_count > 0, "remove from a non-empty list");
        ListPage page = PageAt(0);
        Removed(page[0].Length);
        if (page.Count == 1)
        {
            RemovePage(0);
        }
        else
        {
            OwnPage(0).RemoveFront();
        }
    }

    public void RemoveBack()
    {
        Invariant.Check(_count > 0, "remove from a non-empty list");
        int ordinal = _pageCount - 1;
        ListPage page = PageAt(ordinal);
        Removed(page[page.Count - 1].Length);
        if (page.Count == 1)
        {
            RemovePage(ordinal);
        }
        else
        {
            OwnPage(ordinal).RemoveBack();
        }
    }

    /// <summary>Replaces the element at <paramref name="index"/> (LSET).</summary>
    public void Replace(int index, ReadOnlySpan<byte> element)
    {
        Invariant.Check((uint)index < (uint)_count, "list index in range");
        int ordinal = Locate(index, out int inPage);
        int oldLength = PageAt(ordinal)[inPage].Length;
        if (oldLength == element.Length)
        {
            // The same length: written in place (the page first copied if a clone shares it).
            OwnPage(ordinal).Overwrite(inPage, element);
            return;
        }

        _elementBytes -= oldLength;
        RebuildPage(ordinal, inPage, element, replace: true);
    }

    /// <summary>Inserts so that the new element ends up at <paramref name="index"/> (LINSERT).</summary>
    public void Insert(int index, ReadOnlySpan<byte> element)
    {
        Invariant.Check((uint)index <= (uint)_count, "insert position in range");
        if (index == 0)
        {
            PushFront(element);
        }
        else if (index == _count)
        {
            PushBack(element);
        }
        else
        {
            int ordinal = Locate(index, out int inPage);
            if (inPage > 0)
            {
                // Inside a page of two or more elements, so none of them is over 8 KB: the rebuild copies little.
                RebuildPage(ordinal, inPage, element, replace: false);
                return;
            }

            // Between two pages: onto the end of the one before, the front of the one after, or a page of its own,
            // without rebuilding either (one may hold a single element of hundreds of MB).
            if (PageAt(ordinal - 1).CanTake(element.Length))
            {
                OwnPage(ordinal - 1).PushBack(element);
            }
            else if (PageAt(ordinal).CanTake(element.Length))
            {
                OwnPage(ordinal).PushFront(element);
            }
            else
            {
                InsertPage(ordinal, new ListPage(_owner, element.Length));
                PageAt(ordinal).PushBack(element);
            }

            Added(element.Length);
        }
    }

    /// <summary>First index of <paramref name="element"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> element)
    {
        int index = 0;
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            ListPage page = PageAt(ordinal);
            for (int i = 0; i < page.Count; i++, index++)
            {
                if (element.SequenceEqual(page[i]))
                {
                    return index;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// Calls <paramref name="visitor"/> for <paramref name="count"/> elements from <paramref name="first"/>, walking
    /// toward the tail or, when not <paramref name="forward"/>, toward the head, until it returns false: sequential
    /// reads page by page instead of an index walk per element.
    /// </summary>
    public void Visit<TVisitor>(int first, int count, bool forward, ref TVisitor visitor)
        where TVisitor : IListVisitor, allows ref struct
    {
        Invariant.Check(count >= 0 && first >= 0 && first < _count + (count == 0 ? 1 : 0), "visit starts inside the list");
        Invariant.Check(forward ? (long)first + count <= _count : count <= first + 1, "visit stays inside the list");
        if (count == 0)
        {
            return;
        }

        int ordinal = Locate(first, out int inPage);
        int index = first;
        for (int visited = 0; visited < count; visited++)
        {
            ListPage page = PageAt(ordinal);
            if (!visitor.Visit(index, page[inPage]))
            {
                return;
            }

            if (forward)
            {
                index++;
                if (++inPage == page.Count && visited + 1 < count)
                {
                    ordinal++;
                    inPage = 0;
                }
            }
            else
            {
                index--;
                if (--inPage < 0 && visited + 1 < count)
                {
                    ordinal--;
                    inPage = PageAt(ordinal).Count - 1;
                }
            }
        }
    }

    /// <summary>Keeps only the elements in [<paramref name="start"/>, <paramref name="start"/> + <paramref name="keep"/>).</summary>
    public void Keep(int start, int keep)
    {
        Invariant.Check(start >= 0 && keep >= 0 && (long)start + keep <= _count, "kept range inside the list");
        int tail = _count - start - keep;
        while (start > 0)
        {
            ListPage page = PageAt(0);
            if (page.Count <= start)
            {
                // Whole pages go without being copied or touched element by element.
                start -= page.Count;
                _count -= page.Count;
                _elementBytes -= page.Bytes;
                RemovePage(0);
                continue;
            }

            RemoveFront();
            start--;
        }

        while (tail > 0)
        {
            ListPage page = PageAt(_pageCount - 1);
            if (page.Count <= tail)
            {
                tail -= page.Count;
                _count -= page.Count;
                _elementBytes -= page.Bytes;
                RemovePage(_pageCount - 1);
                continue;
            }

            RemoveBack();
            tail--;
        }
    }

    /// <summary>
    /// Removes up to <paramref name="limit"/> elements equal to <paramref name="element"/> (all when 0), from the
    /// head or, when <paramref name="fromTail"/>, from the tail (LREM). Returns how many went.
    /// </summary>
    public int RemoveMatching(ReadOnlySpan<byte> element, long limit, bool fromTail)
    {
        Invariant.Check(limit >= 0, "removal limit is non-negative");
        int matches = 0;
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            ListPage page = PageAt(ordinal);
            for (int i = 0; i < page.Count; i++)
            {
                matches += element.SequenceEqual(page[i]) ? 1 : 0;
            }
        }

        int removing = limit == 0 ? matches : (int)Math.Min(limit, matches);
        if (removing == 0)
        {
            return 0;
        }

        // From the tail, the last `removing` matches go: skip the ones before them.
        int skip = fromTail ? matches - removing : 0;

        // Only pages that lose an element are rebuilt (their survivors packed into pages of this list, consecutive
        // rebuilt pages sharing them); the others stay as they are, still shared with a snapshot's clone if they were.
        var table = new ListPage[Math.Max(PagesInitial, _pageCount)];
        int tableCount = 0;
        ListPage? open = null;
        int removed = 0;
        Span<bool> drop = stackalloc bool[ListPage.ElementsMax];
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            ListPage page = PageAt(ordinal);
            bool touched = false;
            for (int i = 0; i < page.Count; i++)
            {
                drop[i] = false;
                if (removed < removing && element.SequenceEqual(page[i]))
                {
                    if (skip == 0)
                    {
                        drop[i] = touched = true;
                        removed++;
                    }
                    else
                    {
                        skip--;
                    }
                }
            }

            if (!touched)
            {
                table[tableCount++] = page;
                open = null;
                continue;
            }

            for (int i = 0; i < page.Count; i++)
            {
                if (drop[i])
                {
                    continue;
                }

                ReadOnlySpan<byte> item = page[i];
                if (open is null || !open.CanTake(item.Length))
                {
                    open = new ListPage(_owner, Math.Min(page.Bytes, ListPage.BytesMax));
                    table[tableCount++] = open;
                }

                open.PushBack(item);
            }
        }

        Invariant.Check(removed == removing, "LREM removed what it counted");
        _pages = table;
        _pageHead = 0;
        _pageCount = tableCount;
        _count -= removed;
        _elementBytes -= (long)removed * element.Length;
        int held = 0;
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            held += PageAt(ordinal).Count;
        }

        Invariant.Check(held == _count, "the pages hold the list's count");
        return removed;
    }

    public static ListValue ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int count = HashListSnapshotFormat.ReadCount(reader, sizeof(int));
            var list = new ListValue();
            byte[] scratch = new byte[SnapshotScratchBytes];
            for (int i = 0; i < count; i++)
            {
                list.PushBack(HashListSnapshotFormat.ReadBytes(reader, ref scratch));
            }

            return list;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot payload is damaged: truncated list", e);
        }
    }

    public override CollectionValue Clone()
    {
        var pages = new ListPage[Math.Max(PagesInitial, _pageCount)];
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            pages[ordinal] = PageAt(ordinal);
        }

        // Both lists now share every page: neither owns them any more, so each copies a page before changing it.
        _owner = new object();
        var copy = new ListValue();
        copy._pages = pages;
        copy._pageCount = _pageCount;
        copy._count = _count;
        copy._elementBytes = _elementBytes;
        return copy;
    }

    public override void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_count);
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            ListPage page = PageAt(ordinal);
            for (int i = 0; i < page.Count; i++)
            {
                HashListSnapshotFormat.WriteBytes(writer, page[i]);
            }
        }
    }

    public override long EstimateBytes() =>
        (_pages.Length * 8L) + (_pageCount * PageOverheadBytes) + (_count * (long)sizeof(int)) + _elementBytes;

    private ListPage PageAt(int ordinal)
    {
        int slot = _pageHead + ordinal;
        return _pages[slot >= _pages.Length ? slot - _pages.Length : slot];
    }

    /// <summary>The page at <paramref name="ordinal"/>, first copied if a clone shares it.</summary>
    private ListPage OwnPage(int ordinal)
    {
        int slot = _pageHead + ordinal;
        slot = slot >= _pages.Length ? slot - _pages.Length : slot;
        ListPage page = _pages[slot];
        if (!ReferenceEquals(page.Owner, _owner))
        {
            page = page.CopyFor(_owner);
            _pages[slot] = page;
        }

        return page;
    }

    /// <summary>The ordinal of the page holding element <paramref name="index"/>, walking from the nearer end.</summary>
    private int Locate(int index, out int inPage)
    {
        if (index < _count / 2)
        {
            int ordinal = 0;
            int remaining = index;
            while (remaining >= PageAt(ordinal).Count)
            {
                remaining -= PageAt(ordinal).Count;
                ordinal++;
            }

            inPage = remaining;
            return ordinal;
        }

        int last = _pageCount - 1;
        int fromEnd = _count - 1 - index;
        while (fromEnd >= PageAt(last).Count)
        {
            fromEnd -= PageAt(last).Count;
            last--;
        }

        inPage = PageAt(last).Count - 1 - fromEnd;
        return last;
    }

    /// <summary>
    /// Replaces the page at <paramref name="ordinal"/> by one or more pages holding its elements with
    /// <paramref name="element"/> put at <paramref name="inPage"/> (replacing the element there, or before it).
    /// When they no longer fit one page they are split about evenly, so inserts at one place leave pages at least
    /// about half full instead of a full page and a page per inserted element.
    /// </summary>
    private void RebuildPage(int ordinal, int inPage, ReadOnlySpan<byte> element, bool replace)
    {
        ListPage old = PageAt(ordinal);
        int count = old.Count + (replace ? 0 : 1);
        long bytes = old.Bytes + element.Length - (replace ? old[inPage].Length : 0);
        bool onePage = count == 1 || (count <= ListPage.ElementsMax && bytes <= ListPage.BytesMax);
        var pages = new List<ListPage>(onePage ? 1 : 4);
        int placed = 0;
        long placedBytes = 0;
        for (int i = 0; i <= old.Count; i++)
        {
            if (i == inPage)
            {
                Append(pages, element, onePage, count, bytes, ref placed, ref placedBytes);
                if (replace)
                {
                    continue;
                }
            }

            if (i < old.Count)
            {
                Append(pages, old[i], onePage, count, bytes, ref placed, ref placedBytes);
            }
        }

        Invariant.Check(placed == count, "a rebuilt page keeps every element");
        RemovePage(ordinal);
        for (int i = 0; i < pages.Count; i++)
        {
            InsertPage(ordinal + i, pages[i]);
        }

        if (!replace)
        {
            Invariant.Check(_count < CountMax, "list commands check room before they add");
            _count++;
        }

        _elementBytes += element.Length;
    }

    private void Append(List<ListPage> pages, ReadOnlySpan<byte> element, bool onePage, int count, long bytes, ref int placed, ref long placedBytes)
    {
        // The first page of a split closes once it holds half the elements or half the bytes.
        bool closeFirst = !onePage && pages.Count == 1 && (placed >= count / 2 || placedBytes >= bytes / 2);
        if (pages.Count == 0 || closeFirst || !pages[^1].CanTake(element.Length))
        {
            pages.Add(new ListPage(_owner, element.Length));
        }

        pages[^1].PushBack(element);
        placed++;
        placedBytes += element.Length;
    }

    private void InsertPage(int ordinal, ListPage page)
    {
        Invariant.Check((uint)ordinal <= (uint)_pageCount, "page position in range");
        if (_pageCount == _pages.Length)
        {
            Invariant.Check(_pages.Length < Array.MaxLength / 2, "list page table overflow");
            ResizePages(_pages.Length * 2);
        }

        if (ordinal == 0)
        {
            _pageHead = _pageHead == 0 ? _pages.Length - 1 : _pageHead - 1;
        }
        else
        {
            for (int i = _pageCount; i > ordinal; i--)
            {
                _pages[Slot(i)] = _pages[Slot(i - 1)];
            }
        }

        _pages[Slot(ordinal)] = page;
        _pageCount++;
    }

    private void RemovePage(int ordinal)
    {
        Invariant.Check((uint)ordinal < (uint)_pageCount, "page position in range");
        if (ordinal == 0)
        {
            _pages[_pageHead] = null!;
            _pageHead = _pageHead + 1 == _pages.Length ? 0 : _pageHead + 1;
        }
        else
        {
            for (int i = ordinal; i < _pageCount - 1; i++)
            {
                _pages[Slot(i)] = _pages[Slot(i + 1)];
            }

            _pages[Slot(_pageCount - 1)] = null!;
        }

        _pageCount--;

        // Gives the table back after a list drains, keeping room to grow again without thrashing.
        if (_pages.Length > PagesInitial * 8 && _pageCount < _pages.Length / 4)
        {
            ResizePages(_pages.Length / 2);
        }
    }

    private int Slot(int ordinal)
    {
        int slot = _pageHead + ordinal;
        return slot >= _pages.Length ? slot - _pages.Length : slot;
    }

    private void ResizePages(int capacity)
    {
        Invariant.Check(capacity >= _pageCount, "resize keeps every page");
        var pages = new ListPage[capacity];
        for (int ordinal = 0; ordinal < _pageCount; ordinal++)
        {
            pages[ordinal] = PageAt(ordinal);
        }

        _pages = pages;
        _pageHead = 0;
    }

    private void Added(int length)
    {
        Invariant.Check(_count < CountMax, "list commands check room before they add");
        _count++;
        _elementBytes += length;
    }

    private void Removed(int length)
    {
        _count--;
        _elementBytes -= length;
    }
}
