using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>The hash commands that walk a whole hash or part of it: HGETALL, HKEYS, HVALS and HSCAN.</summary>
public static class HashIterationCommands
{
    // Redis keeps hashes this small in one listpack and returns them whole from any HSCAN call, cursor 0.
    private const int WholeScanFieldsMax = 128;

    private static ReadOnlySpan<byte> EmptyScan => "*2\r\n$1\r\n0\r\n*0\r\n"u8;

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        HashCommands.Add(table, "hgetall", 2, CommandFlags.ReadOnly, HGetAll, "Returns all fields and values in a hash.", "key");
        HashCommands.Add(table, "hkeys", 2, CommandFlags.ReadOnly, HKeys, "Returns all fields in a hash.", "key");
        HashCommands.Add(table, "hvals", 2, CommandFlags.ReadOnly, HVals, "Returns all values in a hash.", "key");
        HashCommands.Add(table, "hscan", -3, CommandFlags.ReadOnly, HScan, "Iterates over fields and values of a hash.",
            "key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]");
    }

    private static void HGetAll(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        context.Reply.MapHeader(hash?.Count ?? 0);
        if (hash is null)
        {
            return;
        }

        foreach (KeyValuePair<byte[], byte[]> pair in hash.Fields)
        {
            context.Reply.Bulk(pair.Key);
            context.Reply.Bulk(pair.Value);
        }
    }

    private static void HKeys(CommandContext context, CommandArgs args) => WriteOneSide(context, args, fields: true);

    private static void HVals(CommandContext context, CommandArgs args) => WriteOneSide(context, args, fields: false);

    private static void WriteOneSide(CommandContext context, CommandArgs args, bool fields)
    {
        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        context.Reply.ArrayHeader(hash?.Count ?? 0);
        if (hash is null)
        {
            return;
        }

        foreach (KeyValuePair<byte[], byte[]> pair in hash.Fields)
        {
            context.Reply.Bulk(fields ? pair.Key : pair.Value);
        }
    }

    private static void HScan(CommandContext context, CommandArgs args)
    {
        // Redis's order: the cursor, then the key (an absent key answers an empty scan unchecked), then the options.
        if (!HashScanOptions.TryParseCursor(context, args[2], out long cursor) ||
            !CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        if (hash is null)
        {
            context.Reply.Raw(EmptyScan);
            return;
        }

        if (!HashScanOptions.TryParse(context, args, 3, out HashScanOptions options))
        {
            return;
        }

        ByteTable<byte[]> table = hash.Fields;
        int start = (int)Math.Min(cursor, table.SlotCount);
        int end = table.SlotCount;
        if (hash.Count <= WholeScanFieldsMax)
        {
            start = 0;
        }
        else
        {
            end = ScanEnd(table, start, options.Count);
        }

        // Two passes over the same slots: the first counts matches for the array header, the second writes them.
        int matched = 0;
        for (int slot = start; slot < end; slot++)
        {
            byte[]? field = table.KeyAt(slot);
            matched += field is not null && options.Matches(field) ? 1 : 0;
        }

        context.Reply.ArrayHeader(2);
        context.Reply.BulkInteger(end >= table.SlotCount ? 0 : end);
        context.Reply.ArrayHeader(options.NoValues ? matched : matched * 2);
        for (int slot = start; slot < end; slot++)
        {
            byte[]? field = table.KeyAt(slot);
            if (field is not null && options.Matches(field))
            {
                context.Reply.Bulk(field);
                if (!options.NoValues)
                {
                    context.Reply.Bulk(table.ValueAt(slot));
                }
            }
        }
    }

    /// <summary>The slot after the last one this call covers: <paramref name="count"/> live fields, or a bounded walk over free slots.</summary>
    private static int ScanEnd(ByteTable<byte[]> table, int start, int count)
    {
        // Bound the free slots examined too, so a sparse table cannot make one call walk everything.
        int examinedMax = Math.Max(count * 10, 100);
        int visited = 0;
        int slot = start;
        while (slot < table.SlotCount && visited < count && slot - start < examinedMax)
        {
            visited += table.KeyAt(slot) is null ? 0 : 1;
            slot++;
        }

        return slot;
    }
}
