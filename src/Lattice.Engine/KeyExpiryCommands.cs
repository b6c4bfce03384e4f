using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.</summary>
public static class KeyExpiryCommands
{
    private const long MsPerSecond = 1000;

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags expireFlags = CommandFlags.Write | CommandFlags.Fast;
        const CommandFlags readFlags = CommandFlags.ReadOnly | CommandFlags.Fast;
        Add(table, "expire", -3, expireFlags, Expire, "Sets a key's time to live in seconds.", "key seconds:integer condition=[NX | XX | GT | LT]");
        Add(table, "pexpire", -3, expireFlags, PExpire, "Sets a key's time to live in milliseconds.",
            "key milliseconds:integer condition=[NX | XX | GT | LT]");
        Add(table, "expireat", -3, expireFlags, ExpireAt, "Sets a key's expiry to a Unix time in seconds.",
            "key unix-time-seconds:unix-time condition=[NX | XX | GT | LT]");
        Add(table, "pexpireat", -3, expireFlags, PExpireAt, "Sets a key's expiry to a Unix time in milliseconds.",
            "key unix-time-milliseconds:unix-time condition=[NX | XX | GT | LT]");
        Add(table, "ttl", 2, readFlags, Ttl, "Returns a key's time to live in seconds.", "key");
        Add(table, "pttl", 2, readFlags, PTtl, "Returns a key's time to live in milliseconds.", "key");
        Add(table, "expiretime", 2, readFlags, ExpireTime, "Returns a key's expiry as a Unix time in seconds.", "key");
        Add(table, "pexpiretime", 2, readFlags, PExpireTime, "Returns a key's expiry as a Unix time in milliseconds.", "key");
        Add(table, "persist", 2, expireFlags, Persist, "Removes a key's expiry.", "key");
    }

    private static void Add(CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax) =>
        CommandRegistration.Add(table, "generic", name, arity, flags, handler, summary, syntax);

    private static void Expire(CommandContext context, CommandArgs args) => SetExpiry(context, args, seconds: true, relative: true, "expire");

    private static void PExpire(CommandContext context, CommandArgs args) => SetExpiry(context, args, seconds: false, relative: true, "pexpire");

    private static void ExpireAt(CommandContext context, CommandArgs args) => SetExpiry(context, args, seconds: true, relative: false, "expireat");

    private static void PExpireAt(CommandContext context, CommandArgs args) => SetExpiry(context, args, seconds: false, relative: false, "pexpireat");

    private static void SetExpiry(CommandContext context, CommandArgs args, bool seconds, bool relative, string name)
    {
        // Redis checks the options first, then the number, then the key.
        if (!KeyExpireConditionParser.TryParse(context, args, 3, out KeyExpireCondition condition))
        {
            return;
        }

        if (!ArgParser.TryParseInt64(args[2], out long value))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!KeyExpireTime.TryFromExpireArgument(value, seconds, relative ? context.TimeMs : 0, out long atMs))
        {
            context.Reply.Error(Errors.InvalidExpireTime(name));
            return;
        }

        Database database = context.Database;
        ReadOnlySpan<byte> key = args[1];
        if (!KeyCommands.ExistsForWrite(database, key, context.TimeMs) ||
            !KeyExpireConditionParser.Allows(condition, database.GetExpireAt(key), atMs))
        {
            context.Reply.Integer(0);
            return;
        }

        // A time already past deletes the key at once, as Redis does on a primary.
        if (atMs <= context.TimeMs)
        {
            database.Delete(key);
        }
        else
        {
            database.SetExpireAt(key, atMs);
        }

        context.Reply.Integer(1);
    }

    private static void Ttl(CommandContext context, CommandArgs args) => ReplyExpiry(context, args[1], inMs: false, absolute: false);

    private static void PTtl(CommandContext context, CommandArgs args) => ReplyExpiry(context, args[1], inMs: true, absolute: false);

    private static void ExpireTime(CommandContext context, CommandArgs args) => ReplyExpiry(context, args[1], inMs: false, absolute: true);

    private static void PExpireTime(CommandContext context, CommandArgs args) => ReplyExpiry(context, args[1], inMs: true, absolute: true);

    /// <summary>−2 when absent, −1 without a TTL; seconds are rounded to nearest, as Redis does.</summary>
    private static void ReplyExpiry(CommandContext context, ReadOnlySpan<byte> key, bool inMs, bool absolute)
    {
        if (context.Database.Read(key, context.TimeMs) is null)
        {
            context.Reply.Integer(-2);
            return;
        }

        long atMs = context.Database.GetExpireAt(key);
        if (atMs == 0)
        {
            context.Reply.Integer(-1);
            return;
        }

        long ms = Math.Max(0, absolute ? atMs : atMs - context.TimeMs);
        context.Reply.Integer(inMs ? ms : (ms + (MsPerSecond / 2)) / MsPerSecond);
    }

    private static void Persist(CommandContext context, CommandArgs args)
    {
        Database database = context.Database;
        ReadOnlySpan<byte> key = args[1];
        if (!KeyCommands.ExistsForWrite(database, key, context.TimeMs) || database.GetExpireAt(key) == 0)
        {
            context.Reply.Integer(0);
            return;
        }

        database.SetExpireAt(key, 0);
        context.Reply.Integer(1);
    }
}
