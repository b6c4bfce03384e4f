using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD.</summary>
internal static class SetAlgebraCommands
{
    private enum Operation
    {
        Intersection,
        Union,
        Difference,
    }

    public static void Register(CommandTable table)
    {
        const CommandFlags Store = CommandFlags.Write | CommandFlags.DenyOom;
        SetCommands.Add(table, "sinter", -2, CommandFlags.ReadOnly, (c, a) => Read(c, a, Operation.Intersection),
            "Returns the intersection of sets.", "key...", lastKey: -1);
        SetCommands.Add(table, "sunion", -2, CommandFlags.ReadOnly, (c, a) => Read(c, a, Operation.Union),
            "Returns the union of sets.", "key...", lastKey: -1);
        SetCommands.Add(table, "sdiff", -2, CommandFlags.ReadOnly, (c, a) => Read(c, a, Operation.Difference),
            "Returns the members of the first set that are in none of the others.", "key...", lastKey: -1);
        SetCommands.Add(table, "sinterstore", -3, Store, (c, a) => StoreResult(c, a, Operation.Intersection),
            "Stores the intersection of sets in a key.", "destination:key key...", lastKey: -1);
        SetCommands.Add(table, "sunionstore", -3, Store, (c, a) => StoreResult(c, a, Operation.Union),
            "Stores the union of sets in a key.", "destination:key key...", lastKey: -1);
        SetCommands.Add(table, "sdiffstore", -3, Store, (c, a) => StoreResult(c, a, Operation.Difference),
            "Stores the difference of sets in a key.", "destination:key key...", lastKey: -1);
        SetCommands.Add(table, "sintercard", -3, CommandFlags.ReadOnly, SInterCard,
            "Returns the size of the intersection of sets, optionally stopping at a limit.",
            "numkeys:integer key... [LIMIT limit:integer]", firstKey: 2, lastKey: -1);
    }

    private static void Read(CommandContext context, CommandArgs args, Operation operation)
    {
        SetValue?[]? sources = LoadSources(context, args, 1, args.Count - 1);
        if (sources is not null)
        {
            SetCommands.WriteMembers(context.Reply, Compute(operation, sources));
        }
    }

    private static void StoreResult(CommandContext context, CommandArgs args, Operation operation)
    {
        SetValue?[]? sources = LoadSources(context, args, 2, args.Count - 2);
        if (sources is null)
        {
            return;
        }

        // The result is a new set, so the destination may also be a source.
        SetValue result = Compute(operation, sources);
        if (result.Count == 0)
        {
            context.Database.Delete(args[1]);
        }
        else
        {
            context.Database.Set(args[1], result);
        }

        context.Reply.Integer(result.Count);
    }

    private static void SInterCard(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[1], out long keyCount) || keyCount <= 0)
        {
            context.Reply.Error("ERR numkeys should be greater than 0"u8);
            return;
        }

        if (keyCount > args.Count - 2)
        {
            context.Reply.Error("ERR Number of keys can't be greater than number of args"u8);
            return;
        }

        long limit = 0;
        for (int i = 2 + (int)keyCount; i < args.Count; i += 2)
        {
            if (!args.Is(i, "LIMIT"u8) || i + 1 >= args.Count)
            {
                context.Reply.Error(Errors.Syntax);
                return;
            }

            if (!ArgParser.TryParseInt64(args[i + 1], out limit) || limit < 0)
            {
                context.Reply.Error("ERR LIMIT can't be negative"u8);
                return;
            }
        }

        SetValue?[]? sources = LoadSources(context, args, 2, (int)keyCount);
        if (sources is not null)
        {
            context.Reply.Integer(CountIntersection(sources, limit));
        }
    }

    /// <summary>The sets named by <paramref name="count"/> keys from <paramref name="first"/> (null for missing); null after a WRONGTYPE reply.</summary>
    private static SetValue?[]? LoadSources(CommandContext context, CommandArgs args, int first, int count)
    {
        var sources = new SetValue?[count];
        for (int i = 0; i < count; i++)
        {
            if (!CollectionCommands.TryRead(context, args[first + i], out sources[i]))
            {
                return null;
            }
        }

        return sources;
    }

    private static SetValue Compute(Operation operation, SetValue?[] sources) => operation switch
    {
        Operation.Intersection => Intersect(sources),
        Operation.Union => Unite(sources),
        _ => Subtract(sources),
    };

    private static SetValue Intersect(SetValue?[] sources)
    {
        var result = new SetValue();
        SetValue? smallest = Smallest(sources);
        if (smallest is null)
        {
            return result;
        }

        foreach (KeyValuePair<byte[], Empty> pair in smallest.Members)
        {
            if (InAll(sources, smallest, pair.Key))
            {
                result.AddShared(pair.Key);
            }
        }

        return result;
    }

    private static long CountIntersection(SetValue?[] sources, long limit)
    {
        SetValue? smallest = Smallest(sources);
        long count = 0;
        if (smallest is null)
        {
            return 0;
        }

        foreach (KeyValuePair<byte[], Empty> pair in smallest.Members)
        {
            if (InAll(sources, smallest, pair.Key) && ++count == limit)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>The smallest source, or null when any is missing (the intersection is then empty).</summary>
    private static SetValue? Smallest(SetValue?[] sources)
    {
        SetValue? smallest = null;
        foreach (SetValue? source in sources)
        {
            if (source is null)
            {
                return null;
            }

            if (smallest is null || source.Count < smallest.Count)
            {
                smallest = source;
            }
        }

        return smallest;
    }

    private static bool InAll(SetValue?[] sources, SetValue skip, byte[] member)
    {
        foreach (SetValue? other in sources)
        {
            if (!ReferenceEquals(other, skip) && !other!.Contains(member))
            {
                return false;
            }
        }

        return true;
    }

    private static SetValue Unite(SetValue?[] sources)
    {
        var result = new SetValue();
        foreach (SetValue? source in sources)
        {
            if (source is null)
            {
                continue;
            }

            foreach (KeyValuePair<byte[], Empty> pair in source.Members)
            {
                result.AddShared(pair.Key);
            }
        }

        return result;
    }

    private static SetValue Subtract(SetValue?[] sources)
    {
        var result = new SetValue();
        if (sources[0] is not { } first)
        {
            return result;
        }

        foreach (KeyValuePair<byte[], Empty> pair in first.Members)
        {
            bool elsewhere = false;
            for (int i = 1; i < sources.Length && !elsewhere; i++)
            {
                // The same key named twice is the same set: SDIFF s s is empty.
                elsewhere = sources[i] is { } other && other.Contains(pair.Key);
            }

            if (!elsewhere)
            {
                result.AddShared(pair.Key);
            }
        }

        return result;
    }
}
