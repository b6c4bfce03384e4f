using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The slot walk shared by SSCAN and ZSCAN: the cursor is a slot number of the member table, so a member
/// present for a whole scan is returned exactly once (slots are stable, even across copy-on-write clones).
/// </summary>
internal static class SetScan
{
    /// <summary>Checks the cursor alone first, as Redis does before it looks at the key's type.</summary>
    public static bool TryParseCursor(CommandContext context, ReadOnlySpan<byte> cursor)
    {
        if (ulong.TryParse(cursor, out _))
        {
            return true;
        }

        context.Reply.Error(Errors.InvalidCursor);
        return false;
    }

    /// <summary>The reply for a missing key: cursor 0 and no elements.</summary>
    public static void WriteEmpty(ReplyWriter reply)
    {
        reply.ArrayHeader(2);
        reply.Bulk("0"u8);
        reply.ArrayHeader(0);
    }

    /// <summary>Adds the live slots visited from the cursor that match the pattern; returns the next cursor (0 at the end).</summary>
    public static long Collect<TValue>(ByteTable<TValue> table, in ScanArguments scan, List<int> slots)
    {
        Invariant.Check(scan.Count > 0, "scan count is positive");
        if (scan.Cursor >= table.SlotCount)
        {
            return 0;
        }

        int slot = (int)scan.Cursor;
        int visited = 0;
        // Bound the slots examined too, so a sparse table cannot make one call walk everything.
        int examinedMax = Math.Max(scan.Count * 10, 100);
        for (int examined = 0; slot < table.SlotCount && visited < scan.Count && examined < examinedMax; examined++, slot++)
        {
            byte[]? member = table.KeyAt(slot);
            if (member is null)
            {
                continue;
            }

            visited++;
            if (scan.Matches(member))
            {
                slots.Add(slot);
            }
        }

        return slot >= table.SlotCount ? 0 : slot;
    }
}
