using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>SPOP (a write, so its picks depend on content only) and SRANDMEMBER (a read, free to use table layout).</summary>
internal static class SetRandomCommands
{
    private const int UniquePickRatio = 3;

    public static void SPop(CommandContext context, CommandArgs args)
    {
        if (args.Count > 3)
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        long count = 1;
        bool counted = args.Count == 3;
        if (counted && (!ArgParser.TryParseInt64(args[2], out count) || count < 0))
        {
            context.Reply.Error(Errors.OutOfRangePositive);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out SetValue? set))
        {
            return;
        }

        if (set is null)
        {
            WriteNothing(context.Reply, counted);
            return;
        }

        if (counted && count >= set.Count)
        {
            // Everything goes: no choice to make, so layout cannot matter.
            SetCommands.WriteMembers(context.Reply, set);
            context.Database.Delete(args[1]);
            return;
        }

        byte[][] picked = SetPopSelection.LowestByHash(set, (int)count, context.Random.NextUInt64());
        if (counted)
        {
            context.Reply.SetHeader(picked.Length);
        }

        foreach (byte[] member in picked)
        {
            bool removed = set.Remove(member);
            Invariant.Check(removed, "picked members are in the set");
            context.Reply.Bulk(member);
        }

        if (set.Count == 0)
        {
            context.Database.Delete(args[1]);
        }
    }

    public static void SRandMember(CommandContext context, CommandArgs args)
    {
        if (args.Count > 3)
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        long count = 0;
        bool counted = args.Count == 3;
        if (counted && !ArgParser.TryParseInt64(args[2], out count))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (count == long.MinValue)
        {
            context.Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"u8);
            return;
        }

        if (!CollectionCommands.TryRead(context, args[1], out SetValue? set))
        {
            return;
        }

        if (set is null || (counted && count == 0))
        {
            if (counted)
            {
                context.Reply.ArrayHeader(0);
            }
            else
            {
                context.Reply.NullBulk();
            }

            return;
        }

        if (!counted)
        {
            context.Reply.Bulk(set.Members.KeyAt(set.Members.RandomSlot(ref context.Random)));
        }
        else if (count < 0)
        {
            WriteWithRepeats(context, set, -count);
        }
        else
        {
            WriteDistinct(context, set, count);
        }
    }

    private static void WriteNothing(ReplyWriter reply, bool counted)
    {
        if (counted)
        {
            reply.SetHeader(0);
        }
        else
        {
            reply.NullBulk();
        }
    }

    private static void WriteWithRepeats(CommandContext context, SetValue set, long count)
    {
        // A reply array cannot announce more elements than an int holds; no client could take them anyway.
        int replies = (int)Math.Min(count, int.MaxValue);
        context.Reply.ArrayHeader(replies);
        for (int i = 0; i < replies; i++)
        {
            context.Reply.Bulk(set.Members.KeyAt(set.Members.RandomSlot(ref context.Random)));
        }
    }

    private static void WriteDistinct(CommandContext context, SetValue set, long count)
    {
        if (count >= set.Count)
        {
            context.Reply.ArrayHeader(set.Count);
            foreach (KeyValuePair<byte[], Empty> pair in set.Members)
            {
                context.Reply.Bulk(pair.Key);
            }

            return;
        }

        int wanted = (int)count;
        context.Reply.ArrayHeader(wanted);
        if (wanted * (long)UniquePickRatio > set.Count)
        {
            // Many of the members: shuffle the first `wanted` of a copy rather than retry collisions.
            var all = new byte[set.Count][];
            int n = 0;
            foreach (KeyValuePair<byte[], Empty> pair in set.Members)
            {
                all[n++] = pair.Key;
            }

            for (int i = 0; i < wanted; i++)
            {
                int j = i + context.Random.NextInt(all.Length - i);
                (all[i], all[j]) = (all[j], all[i]);
                context.Reply.Bulk(all[i]);
            }

            return;
        }

        var chosen = new HashSet<int>(wanted);
        while (chosen.Count < wanted)
        {
            int slot = set.Members.RandomSlot(ref context.Random);
            if (chosen.Add(slot))
            {
                context.Reply.Bulk(set.Members.KeyAt(slot));
            }
        }
    }
}
