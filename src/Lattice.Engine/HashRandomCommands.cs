using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// HRANDFIELD: a read, so it may use the reader's random source and the table layout freely (no replica has to
/// choose alike).
/// </summary>
public static class HashRandomCommands
{
    // A negative count may repeat fields without end; past this the reply itself would be the problem.
    private const long RepeatedPicksMax = 1 << 22;

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        HashCommands.Add(table, "hrandfield", -2, CommandFlags.ReadOnly | CommandFlags.Random, HRandField, "Returns one or more random fields from a hash.",
            "key options=[count:integer [WITHVALUES]]");
    }

    private static void HRandField(CommandContext context, CommandArgs args)
    {
        if (args.Count == 2)
        {
            ReplyOne(context, args);
            return;
        }

        if (!ArgParser.TryParseInt64(args[2], out long count))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (count == long.MinValue)
        {
            context.Reply.Error(HashListErrors.BeyondSignedRange);
            return;
        }

        if (args.Count > 4 || (args.Count == 4 && !args.Is(3, "WITHVALUES"u8)))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        bool withValues = args.Count == 4;
        if ((withValues && count < -(long.MaxValue / 2)) || -count > RepeatedPicksMax)
        {
            context.Reply.Error(HashListErrors.CountOutOfRange);
            return;
        }

        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        if (hash is null || count == 0)
        {
            context.Reply.ArrayHeader(0);
        }
        else if (count < 0)
        {
            ReplyRepeated(context, hash, (int)-count, withValues);
        }
        else
        {
            ReplyDistinct(context, hash, count, withValues);
        }
    }

    private static void ReplyOne(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        int slot = hash is null ? -1 : hash.Fields.RandomSlot(ref context.Random);
        if (slot < 0)
        {
            context.Reply.NullBulk();
        }
        else
        {
            context.Reply.Bulk(hash!.Fields.KeyAt(slot));
        }
    }

    private static void ReplyRepeated(CommandContext context, HashValue hash, int picks, bool withValues)
    {
        WriteHeader(context, picks, withValues);
        for (int i = 0; i < picks; i++)
        {
            WriteSlot(context, hash.Fields, hash.Fields.RandomSlot(ref context.Random), withValues);
        }
    }

    /// <summary>Distinct fields: the whole hash when it has no more than asked, else a uniform sample.</summary>
    private static void ReplyDistinct(CommandContext context, HashValue hash, long count, bool withValues)
    {
        ByteTable<byte[]> fields = hash.Fields;
        if (count >= hash.Count)
        {
            WriteHeader(context, hash.Count, withValues);
            for (int slot = 0; slot < fields.SlotCount; slot++)
            {
                if (fields.KeyAt(slot) is not null)
                {
                    WriteSlot(context, fields, slot, withValues);
                }
            }

            return;
        }

        int picks = (int)count;
        WriteHeader(context, picks, withValues);
        foreach (int slot in SampleSlots(fields, picks, ref context.Random))
        {
            WriteSlot(context, fields, slot, withValues);
        }
    }

    /// <summary><paramref name="picks"/> distinct live slots, fewer than the table holds.</summary>
    private static int[] SampleSlots(ByteTable<byte[]> fields, int picks, ref DeterministicRandom random)
    {
        Invariant.Check(picks > 0 && picks < fields.Count, "a strict sample");
        var chosen = new int[picks];
        if ((long)picks * 3 <= fields.Count)
        {
            // Few wanted: draw and reject repeats, which stay rare.
            var seen = new HashSet<int>(picks);
            for (int i = 0; i < picks;)
            {
                int slot = fields.RandomSlot(ref random);
                if (seen.Add(slot))
                {
                    chosen[i++] = slot;
                }
            }

            return chosen;
        }

        // Many wanted: a partial Fisher–Yates shuffle of every live slot.
        var live = new int[fields.Count];
        int n = 0;
        for (int slot = 0; slot < fields.SlotCount; slot++)
        {
            if (fields.KeyAt(slot) is not null)
            {
                live[n++] = slot;
            }
        }

        for (int i = 0; i < picks; i++)
        {
            int j = i + random.NextInt(n - i);
            (live[i], live[j]) = (live[j], live[i]);
            chosen[i] = live[i];
        }

        return chosen;
    }

    // RESP3 gives each field/value pair its own two-element array; RESP2 a flat array.
    private static void WriteHeader(CommandContext context, int entries, bool withValues) =>
        context.Reply.ArrayHeader(withValues && !context.Reply.IsResp3 ? entries * 2 : entries);

    private static void WriteSlot(CommandContext context, ByteTable<byte[]> fields, int slot, bool withValues)
    {
        if (withValues && context.Reply.IsResp3)
        {
            context.Reply.ArrayHeader(2);
        }

        context.Reply.Bulk(fields.KeyAt(slot));
        if (withValues)
        {
            context.Reply.Bulk(fields.ValueAt(slot));
        }
    }
}
