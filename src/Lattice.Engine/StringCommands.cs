using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The string commands that get and set whole values: GET, SET, SETNX, SETEX, PSETEX, GETSET, GETDEL,
/// GETEX, MGET, MSET and MSETNX. Ranges are in <see cref="StringRangeCommands"/>, counters in
/// <see cref="StringCounterCommands"/>. Stored strings are immutable byte arrays: a change stores a new one.
/// </summary>
public static class StringCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags grows = CommandFlags.Write | CommandFlags.DenyOom;
        Add(table, "get", 2, CommandFlags.ReadOnly | CommandFlags.Fast, Get, "Returns the string value of a key.", "key");
        Add(table, "set", -3, grows, Set, "Sets the string value of a key, with optional expiry and conditions.",
            "key value condition=[NX | XX] [GET] expiration=[EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL]");
        Add(table, "setnx", 3, grows | CommandFlags.Fast, SetNx, "Sets a key's value only when the key does not exist.", "key value");
        Add(table, "setex", 4, grows, SetEx, "Sets a key's value and its time to live in seconds.", "key seconds:integer value");
        Add(table, "psetex", 4, grows, PSetEx, "Sets a key's value and its time to live in milliseconds.", "key milliseconds:integer value");
        Add(table, "getset", 3, grows | CommandFlags.Fast, GetSet, "Sets a key's value and returns the old one.", "key value");
        Add(table, "getdel", 2, CommandFlags.Write | CommandFlags.Fast, GetDel, "Returns a key's value and deletes the key.", "key");
        Add(table, "getex", -2, CommandFlags.Write | CommandFlags.Fast, GetEx, "Returns a key's value and changes its expiry.",
            "key expiration=[EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | PERSIST]");
        Add(table, "mget", -2, CommandFlags.ReadOnly | CommandFlags.Fast, MGet, "Returns the values of several keys.", "key...", lastKey: -1);
        Add(table, "mset", -3, grows, MSet, "Sets several keys to values.", "key_value=(key value)...", lastKey: -1, keyStep: 2);
        Add(table, "msetnx", -3, grows, MSetNx, "Sets several keys only when none of them exists.",
            "key_value=(key value)...", lastKey: -1, keyStep: 2);
        StringRangeCommands.Register(table);
        StringCounterCommands.Register(table);
    }

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> with an absolute expiry (0 = none, or the old
    /// TTL when <paramref name="keepTtl"/>); an expiry already past deletes the key instead.
    /// </summary>
    public static void Store(Database database, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long nowMs, long expireAtMs, bool keepTtl)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (expireAtMs != 0 && expireAtMs <= nowMs)
        {
            database.Delete(key);
            return;
        }

        database.SetString(key, value, keepTtl);
        if (expireAtMs != 0)
        {
            database.SetExpireAt(key, expireAtMs);
        }
    }

    internal static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax, int lastKey = 1, int keyStep = 1) =>
        CommandRegistration.Add(table, "string", name, arity, flags, handler, summary, syntax, lastKey: lastKey, keyStep: keyStep);

    private static void Get(CommandContext context, CommandArgs args)
    {
        // The hot path: no allocation, the stored array is written out as it is.
        object? value = context.Database.Read(args[1], context.TimeMs);
        if (value is null)
        {
            context.Reply.NullBulk();
        }
        else if (value is byte[] text)
        {
            context.Reply.Bulk(text);
        }
        else
        {
            context.Reply.Error(Errors.WrongType);
        }
    }

    private static void Set(CommandContext context, CommandArgs args)
    {
        if (!StringSetOptions.TryParse(args, 3, forSet: true, out StringSetOptions options))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        if (options.TryResolveExpiry(context, args, "set", out long expireAtMs))
        {
            SetWithOptions(context, args[1], args[2], options.Flags, expireAtMs);
        }
    }

    /// <summary>SET's core, shared by GETSET: GET replies the old value (refusing a non-string), NX/XX gate the store.</summary>
    private static void SetWithOptions(CommandContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, StringSetFlags flags, long expireAtMs)
    {
        object? current = context.Database.ReadForWrite(key, context.TimeMs);
        bool replyOld = (flags & StringSetFlags.Get) != 0;
        if (replyOld)
        {
            if (current is null)
            {
                context.Reply.NullBulk();
            }
            else if (current is byte[] old)
            {
                context.Reply.Bulk(old);
            }
            else
            {
                context.Reply.Error(Errors.WrongType);
                return;
            }
        }

        bool blocked = ((flags & StringSetFlags.Nx) != 0 && current is not null) || ((flags & StringSetFlags.Xx) != 0 && current is null);
        if (!blocked)
        {
            Store(context.Database, key, value, context.TimeMs, expireAtMs, (flags & StringSetFlags.KeepTtl) != 0);
        }

        if (!replyOld)
        {
            if (blocked)
            {
                context.Reply.NullBulk();
            }
            else
            {
                context.Reply.Ok();
            }
        }
    }

    private static void SetNx(CommandContext context, CommandArgs args)
    {
        if (KeyCommands.ExistsForWrite(context.Database, args[1], context.TimeMs))
        {
            context.Reply.Integer(0);
            return;
        }

        context.Database.SetString(args[1], args[2]);
        context.Reply.Integer(1);
    }

    private static void SetEx(CommandContext context, CommandArgs args) => SetWithTime(context, args, seconds: true, "setex");

    private static void PSetEx(CommandContext context, CommandArgs args) => SetWithTime(context, args, seconds: false, "psetex");

    private static void SetWithTime(CommandContext context, CommandArgs args, bool seconds, string name)
    {
        if (!ArgParser.TryParseInt64(args[2], out long value))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!KeyExpireTime.TryFromSetOption(value, seconds, relative: true, context.TimeMs, out long expireAtMs))
        {
            context.Reply.Error(Errors.InvalidExpireTime(name));
            return;
        }

        Store(context.Database, args[1], args[3], context.TimeMs, expireAtMs, keepTtl: false);
        context.Reply.Ok();
    }

    private static void GetSet(CommandContext context, CommandArgs args) =>
        SetWithOptions(context, args[1], args[2], StringSetFlags.Get, expireAtMs: 0);

    private static void GetDel(CommandContext context, CommandArgs args)
    {
        object? current = context.Database.ReadForWrite(args[1], context.TimeMs);
        if (current is null)
        {
            context.Reply.NullBulk();
        }
        else if (current is byte[] old)
        {
            context.Reply.Bulk(old);
            context.Database.Delete(args[1]);
        }
        else
        {
            context.Reply.Error(Errors.WrongType);
        }
    }

    private static void GetEx(CommandContext context, CommandArgs args)
    {
        // Redis 7.0 checks the options and the time before looking at the key.
        if (!StringSetOptions.TryParse(args, 2, forSet: false, out StringSetOptions options))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        if (!options.TryResolveExpiry(context, args, "getex", out long expireAtMs))
        {
            return;
        }

        Database database = context.Database;
        object? current = database.ReadForWrite(args[1], context.TimeMs);
        if (current is not byte[] text)
        {
            if (current is null)
            {
                context.Reply.NullBulk();
            }
            else
            {
                context.Reply.Error(Errors.WrongType);
            }

            return;
        }

        context.Reply.Bulk(text);
        if (expireAtMs != 0 && expireAtMs <= context.TimeMs)
        {
            database.Delete(args[1]);
        }
        else if (expireAtMs != 0 || options.Has(StringSetFlags.Persist))
        {
            database.SetExpireAt(args[1], expireAtMs);
        }
    }

    private static void MGet(CommandContext context, CommandArgs args)
    {
        context.Reply.ArrayHeader(args.Count - 1);
        for (int i = 1; i < args.Count; i++)
        {
            if (context.Database.Read(args[i], context.TimeMs) is byte[] text)
            {
                context.Reply.Bulk(text);
            }
            else
            {
                context.Reply.NullBulk();
            }
        }
    }

    private static void MSet(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 == 0)
        {
            context.Reply.Error(Errors.WrongArity("mset"));
            return;
        }

        SetPairs(context, args);
        context.Reply.Ok();
    }

    private static void MSetNx(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 == 0)
        {
            context.Reply.Error(Errors.WrongArity("msetnx"));
            return;
        }

        for (int i = 1; i < args.Count; i += 2)
        {
            if (KeyCommands.ExistsForWrite(context.Database, args[i], context.TimeMs))
            {
                context.Reply.Integer(0);
                return;
            }
        }

        SetPairs(context, args);
        context.Reply.Integer(1);
    }

    private static void SetPairs(CommandContext context, CommandArgs args)
    {
        for (int i = 1; i < args.Count; i += 2)
        {
            context.Database.SetString(args[i], args[i + 1]);
        }
    }
}
