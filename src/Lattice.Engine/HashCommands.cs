using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The hash commands that read and write single fields: HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HLEN,
/// HEXISTS and HSTRLEN. Whole-hash reads and scans are in <see cref="HashIterationCommands"/>, counters in
/// <see cref="HashCounterCommands"/>, HRANDFIELD in <see cref="HashRandomCommands"/>.
/// </summary>
public static class HashCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags grows = CommandFlags.Write | CommandFlags.DenyOom;
        const CommandFlags fastRead = CommandFlags.ReadOnly | CommandFlags.Fast;
        Add(table, "hset", -4, grows | CommandFlags.Fast, HSet, "Creates or modifies the values of fields in a hash.",
            "key field_value=(field value)...", fieldStep: 2);
        Add(table, "hmset", -4, grows | CommandFlags.Fast, HMSet, "Sets the values of multiple fields (deprecated: use HSET).",
            "key field_value=(field value)...", fieldStep: 2);
        Add(table, "hsetnx", 4, grows | CommandFlags.Fast, HSetNx, "Sets the value of a field in a hash only when the field doesn't exist.",
            "key field value", fieldStep: 2);
        Add(table, "hget", 3, fastRead, HGet, "Returns the value of a field in a hash.", "key field", fieldStep: 1);
        Add(table, "hmget", -3, fastRead, HMGet, "Returns the values of multiple fields in a hash.", "key field...", fieldStep: 1);
        Add(table, "hdel", -3, CommandFlags.Write | CommandFlags.Fast, HDel, "Deletes one or more fields and their values from a hash.",
            "key field...", fieldStep: 1);
        Add(table, "hlen", 2, fastRead, HLen, "Returns the number of fields in a hash.", "key");
        Add(table, "hexists", 3, fastRead, HExists, "Determines whether a field exists in a hash.", "key field", fieldStep: 1);
        Add(table, "hstrlen", 3, fastRead, HStrLen, "Returns the length of the value of a field.", "key field", fieldStep: 1);
        HashIterationCommands.Register(table);
        HashCounterCommands.Register(table);
        HashRandomCommands.Register(table);
    }

    internal static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax, int fieldStep = 0) =>
        CommandRegistration.Add(table, "hash", name, arity, flags, handler, summary, syntax, fieldStep: fieldStep);

    private static void HSet(CommandContext context, CommandArgs args)
    {
        if (SetPairs(context, args, "hset", out long added))
        {
            context.Reply.Integer(added);
        }
    }

    private static void HMSet(CommandContext context, CommandArgs args)
    {
        if (SetPairs(context, args, "hmset", out _))
        {
            context.Reply.Ok();
        }
    }

    /// <summary>Stores every field/value pair from args[2] on; false when an error was written.</summary>
    private static bool SetPairs(CommandContext context, CommandArgs args, string name, out long added)
    {
        added = 0;
        if (args.Count % 2 != 0)
        {
            context.Reply.Error(Errors.WrongArity(name));
            return false;
        }

        HashValue? hash = CollectionCommands.OpenOrCreate<HashValue>(context, args[1]);
        if (hash is null)
        {
            return false;
        }

        bool mayOverwrite = !context.Database.SnapshotPinned;
        for (int i = 2; i < args.Count; i += 2)
        {
            added += hash.Set(args[i], args[i + 1], mayOverwrite) ? 1 : 0;
        }

        return true;
    }

    private static void HSetNx(CommandContext context, CommandArgs args)
    {
        HashValue? hash = CollectionCommands.OpenOrCreate<HashValue>(context, args[1]);
        if (hash is null)
        {
            return;
        }

        if (hash.Contains(args[2]))
        {
            context.Reply.Integer(0);
            return;
        }

        hash.Set(args[2], args[3], mayOverwrite: false);
        context.Reply.Integer(1);
    }

    private static void HGet(CommandContext context, CommandArgs args)
    {
        // A hot path: no allocation, the stored array is written out as it is.
        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        WriteFieldValue(context.Reply, hash?.Get(args[2]));
    }

    private static void HMGet(CommandContext context, CommandArgs args)
    {
        if (!CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            return;
        }

        context.Reply.ArrayHeader(args.Count - 2);
        for (int i = 2; i < args.Count; i++)
        {
            WriteFieldValue(context.Reply, hash?.Get(args[i]));
        }
    }

    private static void HDel(CommandContext context, CommandArgs args) =>
        CollectionCommands.RemoveAll<HashValue>(context, args, static (hash, field) => hash.Remove(field));

    private static void HLen(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            context.Reply.Integer(hash?.Count ?? 0);
        }
    }

    private static void HExists(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            context.Reply.Integer(hash is not null && hash.Contains(args[2]) ? 1 : 0);
        }
    }

    private static void HStrLen(CommandContext context, CommandArgs args)
    {
        if (CollectionCommands.TryRead(context, args[1], out HashValue? hash))
        {
            context.Reply.Integer(hash?.Get(args[2])?.Length ?? 0);
        }
    }

    /// <summary>A field's value as a bulk string, or a null for a missing field (or hash).</summary>
    private static void WriteFieldValue(ReplyWriter reply, byte[]? value)
    {
        if (value is null)
        {
            reply.NullBulk();
        }
        else
        {
            reply.Bulk(value);
        }
    }
}
