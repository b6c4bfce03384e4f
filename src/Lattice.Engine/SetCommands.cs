using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>The set commands: membership, algebra (SetAlgebraCommands), random picks (SetRandomCommands) and SSCAN.</summary>
public static class SetCommands
{
    private const string Group = "set";

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags FastRead = CommandFlags.ReadOnly | CommandFlags.Fast;
        Add(table, "sadd", -3, CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast, SAdd, "Adds members to a set.", "key member...");
        Add(table, "srem", -3, CommandFlags.Write | CommandFlags.Fast, SRem, "Removes members from a set.", "key member...");
        Add(table, "sismember", 3, FastRead, SIsMember, "Tells whether a member is in a set.", "key member");
        Add(table, "smismember", -3, FastRead, SMIsMember, "Tells, for each member, whether it is in a set.", "key member...");
        Add(table, "smembers", 2, CommandFlags.ReadOnly, SMembers, "Returns every member of a set.", "key");
        Add(table, "scard", 2, FastRead, SCard, "Returns the number of members of a set.", "key");
        Add(table, "smove", 4, CommandFlags.Write | CommandFlags.Fast, SMove, "Moves a member from one set to another.",
            "source:key destination:key member", lastKey: 2);
        Add(table, "spop", -2, CommandFlags.Write | CommandFlags.Fast | CommandFlags.Random, SetRandomCommands.SPop,
            "Removes and returns members of a set, chosen by a seeded hash of their content.", "key [count:integer]");
        Add(table, "srandmember", -2, CommandFlags.ReadOnly | CommandFlags.Random, SetRandomCommands.SRandMember,
            "Returns random members of a set.", "key [count:integer]");
        Add(table, "sscan", -3, CommandFlags.ReadOnly | CommandFlags.Random, SScan, "Iterates over the members of a set.",
            "key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]");
        SetAlgebraCommands.Register(table);
    }

    internal static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax, int firstKey = 1, int lastKey = 1) =>
        CommandRegistration.Add(table, Group, name, arity, flags, handler, summary, syntax, firstKey, lastKey);

    private static void SAdd(CommandContext context, CommandArgs args)
    {
        SetValue? set = CollectionCommands.OpenOrCreate<SetValue>(context, args[1]);
        if (set is null)
        {
            return;
        }

        int added = 0;
        for (int i = 2; i < args.Count; i++)
        {
            added += set.Add(args[i]) ? 1 : 0;
        }

        context.Reply.Integer(added);
    }

    private static void SRem(CommandContext context, CommandArgs args) =>
        CollectionCommands.RemoveAll<SetValue>(context, args, static (set, member) => set.Remove(member));

    private static void SIsMember(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out SetValue? set))
        {
            context.Reply.Integer(set is not null && set.Contains(args[2]) ? 1 : 0);
        }
    }

    private static void SMIsMember(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out SetValue? set))
        {
            return;
        }

        context.Reply.ArrayHeader(args.Count - 2);
        for (int i = 2; i < args.Count; i++)
        {
            context.Reply.Integer(set is not null && set.Contains(args[i]) ? 1 : 0);
        }
    }

    private static void SMembers(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out SetValue? set))
        {
            WriteMembers(context.Reply, set);
        }
    }

    private static void SCard(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out SetValue? set))
        {
            context.Reply.Integer(set?.Count ?? 0);
        }
    }

    private static void SMove(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryReadForWrite(context, args[1], out SetValue? source))
        {
            return;
        }

        if (source is null)
        {
            // As Redis: a missing source answers 0 before the destination's type is looked at.
            context.Reply.Integer(0);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[2], out SetValue? destination))
        {
            return;
        }

        if (args[1].SequenceEqual(args[2]))
        {
            context.Reply.Integer(source.Contains(args[3]) ? 1 : 0);
            return;
        }

        if (!source.Remove(args[3]))
        {
            context.Reply.Integer(0);
            return;
        }

        CollectionCommands.DeleteIfEmpty(context, args[1], source);
        if (destination is null)
        {
            destination = new SetValue();
            context.Database.Set(args[2], destination);
        }

        destination.Add(args[3]);
        context.Reply.Integer(1);
    }

    private static void SScan(CommandContext context, CommandArgs args) =>
        Scan<SetValue, Empty>(
            context, args, static set => set.Members, repliesPerMember: 1, static (reply, members, slot) => reply.Bulk(members.KeyAt(slot)));

    /// <summary>
    /// SSCAN and ZSCAN: the cursor, the key's type and then the options are checked in Redis's order, and the
    /// member table's slots are walked; <paramref name="writeMember"/> writes <paramref name="repliesPerMember"/>
    /// replies for each member found.
    /// </summary>
    internal static void Scan<TSet, TValue>(
        CommandContext context,
        CommandArgs args,
        Func<TSet, ByteTable<TValue>> membersOf,
        int repliesPerMember,
        Action<ReplyWriter, ByteTable<TValue>, int> writeMember)
        where TSet : CollectionValue
    {
        if (!SetScan.TryParseCursor(context, args[2]) || !CollectionCommands.TryRead(context, args[1], out TSet? set) ||
            !ScanArguments.TryParse(context, args, 2, allowType: false, out ScanArguments scan))
        {
            return;
        }

        if (set is null)
        {
            SetScan.WriteEmpty(context.Reply);
            return;
        }

        ByteTable<TValue> members = membersOf(set);
        List<int> found = [];
        long next = SetScan.Collect(members, scan, found);
        context.Reply.ArrayHeader(2);
        context.Reply.BulkInteger(next);
        context.Reply.ArrayHeader(found.Count * repliesPerMember);
        foreach (int slot in found)
        {
            writeMember(context.Reply, members, slot);
        }
    }

    /// <summary>Writes a set reply (RESP3 set type) of every member; an absent set is empty.</summary>
    internal static void WriteMembers(ReplyWriter reply, SetValue? set)
    {
        reply.SetHeader(set?.Count ?? 0);
        if (set is null)
        {
            return;
        }

        foreach (KeyValuePair<byte[], Empty> pair in set.Members)
        {
            reply.Bulk(pair.Key);
        }
    }
}
