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
        Add(table, "sadd", -3, CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast, SAdd, "Adds members to a set.");
        Add(table, "srem", -3, CommandFlags.Write | CommandFlags.Fast, SRem, "Removes members from a set.");
        Add(table, "sismember", 3, FastRead, SIsMember, "Tells whether a member is in a set.");
        Add(table, "smismember", -3, FastRead, SMIsMember, "Tells, for each member, whether it is in a set.");
        Add(table, "smembers", 2, CommandFlags.ReadOnly, SMembers, "Returns every member of a set.");
        Add(table, "scard", 2, FastRead, SCard, "Returns the number of members of a set.");
        Add(table, "smove", 4, CommandFlags.Write | CommandFlags.Fast, SMove, "Moves a member from one set to another.", lastKey: 2);
        Add(table, "spop", -2, CommandFlags.Write | CommandFlags.Fast | CommandFlags.Random, SetRandomCommands.SPop,
            "Removes and returns members of a set, chosen by a seeded hash of their content.");
        Add(table, "srandmember", -2, CommandFlags.ReadOnly | CommandFlags.Random, SetRandomCommands.SRandMember,
            "Returns random members of a set.");
        Add(table, "sscan", -3, CommandFlags.ReadOnly | CommandFlags.Random, SScan, "Iterates over the members of a set.");
        SetAlgebraCommands.Register(table);
    }

    internal static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, int firstKey = 1, int lastKey = 1)
    {
        table.Add(new CommandSpec
        {
            Name = name,
            Arity = arity,
            Flags = flags,
            Handler = handler,
            FirstKey = firstKey,
            LastKey = lastKey,
            KeyStep = 1,
            Group = Group,
            Summary = summary,
        });
    }

    /// <summary>
    /// The set at <paramref name="key"/> for a read: true with null when absent; false (error replied) when the
    /// key holds another type.
    /// </summary>
    internal static bool TryRead(CommandContext context, ReadOnlySpan<byte> key, out SetValue? set)
    {
        object? value = context.Database.Read(key, context.TimeMs);
        return Check(context, value, out set);
    }

    /// <summary>As <see cref="TryRead"/>, for a write: the returned set may be mutated.</summary>
    internal static bool TryReadForWrite(CommandContext context, ReadOnlySpan<byte> key, out SetValue? set)
    {
        object? value = context.Database.ReadForWrite(key, context.TimeMs);
        return Check(context, value, out set);
    }

    private static bool Check(CommandContext context, object? value, out SetValue? set)
    {
        set = value as SetValue;
        if (value is not null && set is null)
        {
            context.Reply.Error(Errors.WrongType);
            return false;
        }

        return true;
    }

    private static void SAdd(CommandContext context, CommandArgs args)
    {
        if (!TryReadForWrite(context, args[1], out SetValue? set))
        {
            return;
        }

        if (set is null)
        {
            set = new SetValue();
            context.Database.Set(args[1], set);
        }

        int added = 0;
        for (int i = 2; i < args.Count; i++)
        {
            added += set.Add(args[i]) ? 1 : 0;
        }

        context.Reply.Integer(added);
    }

    private static void SRem(CommandContext context, CommandArgs args)
    {
        if (!TryReadForWrite(context, args[1], out SetValue? set))
        {
            return;
        }

        int removed = 0;
        for (int i = 2; set is not null && i < args.Count; i++)
        {
            removed += set.Remove(args[i]) ? 1 : 0;
        }

        if (set is not null && set.Count == 0)
        {
            context.Database.Delete(args[1]);
        }

        context.Reply.Integer(removed);
    }

    private static void SIsMember(CommandContext context, CommandArgs args)
    {
        if (TryRead(context, args[1], out SetValue? set))
        {
            context.Reply.Integer(set is not null && set.Contains(args[2]) ? 1 : 0);
        }
    }

    private static void SMIsMember(CommandContext context, CommandArgs args)
    {
        if (!TryRead(context, args[1], out SetValue? set))
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
        if (TryRead(context, args[1], out SetValue? set))
        {
            WriteMembers(context.Reply, set);
        }
    }

    private static void SCard(CommandContext context, CommandArgs args)
    {
        if (TryRead(context, args[1], out SetValue? set))
        {
            context.Reply.Integer(set?.Count ?? 0);
        }
    }

    private static void SMove(CommandContext context, CommandArgs args)
    {
        if (!TryReadForWrite(context, args[1], out SetValue? source))
        {
            return;
        }

        if (source is null)
        {
            // As Redis: a missing source answers 0 before the destination's type is looked at.
            context.Reply.Integer(0);
            return;
        }

        if (!TryReadForWrite(context, args[2], out SetValue? destination))
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

        if (source.Count == 0)
        {
            context.Database.Delete(args[1]);
        }

        if (destination is null)
        {
            destination = new SetValue();
            context.Database.Set(args[2], destination);
        }

        destination.Add(args[3]);
        context.Reply.Integer(1);
    }

    private static void SScan(CommandContext context, CommandArgs args)
    {
        if (!SetScan.TryParseCursor(context, args[2]) || !TryRead(context, args[1], out SetValue? set) ||
            !ScanArguments.TryParse(context, args, 2, allowType: false, out ScanArguments scan))
        {
            return;
        }

        if (set is null)
        {
            SetScan.WriteEmpty(context.Reply);
            return;
        }

        List<int> found = [];
        long next = SetScan.Collect(set.Members, scan, found);
        context.Reply.ArrayHeader(2);
        context.Reply.BulkInteger(next);
        context.Reply.ArrayHeader(found.Count);
        foreach (int slot in found)
        {
            context.Reply.Bulk(set.Members.KeyAt(slot));
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
