using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The generic key commands: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, KEYS, SCAN, RANDOMKEY,
/// DBSIZE, FLUSHDB and FLUSHALL; the expiry commands are in <see cref="KeyExpiryCommands"/>.
/// </summary>
public static class KeyCommands
{
    // RANDOMKEY gives up sampling after this many expired picks and walks the table instead.
    private const int RandomKeyAttempts = 100;

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Add(table, "del", -2, CommandFlags.Write, Del, "Deletes keys; returns how many existed.", "key...", lastKey: -1);
        Add(table, "unlink", -2, CommandFlags.Write | CommandFlags.Fast, Del, "Deletes keys; returns how many existed.", "key...", lastKey: -1);
        Add(table, "exists", -2, CommandFlags.ReadOnly | CommandFlags.Fast, Exists, "Counts the given keys that exist.", "key...", lastKey: -1);
        Add(table, "touch", -2, CommandFlags.ReadOnly | CommandFlags.Fast, Exists, "Counts the given keys that exist.", "key...", lastKey: -1);
        Add(table, "type", 2, CommandFlags.ReadOnly | CommandFlags.Fast, KeyType, "Returns the type of a key's value.", "key");
        Add(table, "rename", 3, CommandFlags.Write, Rename, "Renames a key, replacing the destination.", "key newkey:key", lastKey: 2);
        Add(table, "renamenx", 3, CommandFlags.Write | CommandFlags.Fast, RenameNx, "Renames a key only if the new name is free.",
            "key newkey:key", lastKey: 2);
        Add(table, "keys", 2, CommandFlags.ReadOnly, Keys, "Returns the keys matching a glob pattern.", "pattern:pattern", firstKey: 0, lastKey: 0);
        Add(table, "scan", -2, CommandFlags.ReadOnly, Scan, "Iterates the keyspace with a cursor.",
            "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type]", firstKey: 0, lastKey: 0);
        Add(table, "randomkey", 1, CommandFlags.ReadOnly | CommandFlags.Random, RandomKey, "Returns a random key.", "", firstKey: 0, lastKey: 0);
        Add(table, "dbsize", 1, CommandFlags.ReadOnly | CommandFlags.Fast, DbSize, "Returns the number of keys.", "", firstKey: 0, lastKey: 0);
        Add(table, "flushdb", -1, CommandFlags.Write | CommandFlags.Admin, Flush, "Removes every key.",
            "async=[ASYNC | SYNC]", firstKey: 0, lastKey: 0);
        Add(table, "flushall", -1, CommandFlags.Write | CommandFlags.Admin, Flush, "Removes every key.",
            "async=[ASYNC | SYNC]", firstKey: 0, lastKey: 0);
        KeyExpiryCommands.Register(table);
    }

    /// <summary>
    /// True when <paramref name="key"/> is live for a write at <paramref name="timeMs"/>; an expired key is
    /// deleted, as a write would. Unlike <see cref="Database.ReadForWrite"/> it never clones a collection.
    /// </summary>
    public static bool ExistsForWrite(Database database, ReadOnlySpan<byte> key, long timeMs)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Read(key, timeMs) is not null)
        {
            return true;
        }

        database.Delete(key);
        return false;
    }

    /// <summary>The kind of a stored value (strings are byte arrays).</summary>
    public static ValueKind KindOf(object value) => value is CollectionValue collection ? collection.Kind : ValueKind.String;

    private static void Add(
        CommandTable table, string name, int arity, CommandFlags flags, CommandHandler handler, string summary, string syntax, int firstKey = 1, int lastKey = 1) =>
        CommandRegistration.Add(table, "generic", name, arity, flags, handler, summary, syntax, firstKey: firstKey, lastKey: lastKey);

    private static void Del(CommandContext context, CommandArgs args)
    {
        long deleted = 0;
        for (int i = 1; i < args.Count; i++)
        {
            // An expired key is removed too but does not count.
            bool live = context.Database.Read(args[i], context.TimeMs) is not null;
            if (context.Database.Delete(args[i]) && live)
            {
                deleted++;
            }
        }

        context.Reply.Integer(deleted);
    }

    private static void Exists(CommandContext context, CommandArgs args)
    {
        long found = 0;
        for (int i = 1; i < args.Count; i++)
        {
            if (context.Database.Read(args[i], context.TimeMs) is not null)
            {
                found++;
            }
        }

        context.Reply.Integer(found);
    }

    private static void KeyType(CommandContext context, CommandArgs args)
    {
        object? value = context.Database.Read(args[1], context.TimeMs);
        ReadOnlySpan<byte> name = value is null ? "none"u8 : KindOf(value) switch
        {
            ValueKind.String => "string"u8,
            ValueKind.List => "list"u8,
            ValueKind.Hash => "hash"u8,
            ValueKind.Set => "set"u8,
            _ => "zset"u8,
        };
        context.Reply.SimpleString(name);
    }

    private static void Rename(CommandContext context, CommandArgs args)
    {
        if (TryRename(context, args, onlyIfFree: false))
        {
            context.Reply.Ok();
        }
    }

    private static void RenameNx(CommandContext context, CommandArgs args)
    {
        if (TryRename(context, args, onlyIfFree: true))
        {
            context.Reply.Integer(1);
        }
    }

    /// <summary>Moves the value and TTL; returns false after replying when nothing moved.</summary>
    private static bool TryRename(CommandContext context, CommandArgs args, bool onlyIfFree)
    {
        Database database = context.Database;
        ReadOnlySpan<byte> source = args[1];
        ReadOnlySpan<byte> destination = args[2];
        if (!ExistsForWrite(database, source, context.TimeMs))
        {
            context.Reply.Error(Errors.NoSuchKey);
            return false;
        }

        bool destinationLive = ExistsForWrite(database, destination, context.TimeMs);
        if (source.SequenceEqual(destination) || (onlyIfFree && destinationLive))
        {
            // Renaming a key to itself changes nothing: OK for RENAME, 0 for RENAMENX.
            if (onlyIfFree)
            {
                context.Reply.Integer(0);
                return false;
            }

            return true;
        }

        // Reuse the destination's stored key array when it exists, so the move allocates nothing new.
        byte[] destinationKey = database.Take(destination, out byte[] storedDestination, out _, out _)
            ? storedDestination
            : destination.ToArray();
        bool taken = database.Take(source, out _, out object value, out long expireAtMs);
        Lattice.Common.Invariant.Check(taken, "a live source key can be taken");
        database.SetWithKeyArray(destinationKey, value, expireAtMs);
        return true;
    }

    private static void Keys(CommandContext context, CommandArgs args)
    {
        ReadOnlySpan<byte> pattern = args[1];
        bool all = pattern.Length == 1 && pattern[0] == (byte)'*';
        var matches = new List<byte[]>();
        foreach (KeyValuePair<byte[], KeyEntry> pair in context.Database.Keys)
        {
            if (!context.Database.IsExpired(pair.Key, pair.Value, context.TimeMs) && (all || GlobPattern.IsMatch(pattern, pair.Key)))
            {
                matches.Add(pair.Key);
            }
        }

        context.Reply.ArrayHeader(matches.Count);
        foreach (byte[] key in matches)
        {
            context.Reply.Bulk(key);
        }
    }

    private static void Scan(CommandContext context, CommandArgs args)
    {
        if (!ScanArguments.TryParse(context, args, 1, allowType: true, out ScanArguments scan))
        {
            return;
        }

        var visited = new List<KeyValuePair<byte[], object>>();
        long next = context.Database.Scan(scan.Cursor, scan.Count, (key, value) => visited.Add(new(key, value)), context.TimeMs);
        int matched = 0;
        for (int i = 0; i < visited.Count; i++)
        {
            KeyValuePair<byte[], object> pair = visited[i];
            if (scan.Matches(pair.Key) && (scan.Type is not { } type || KindOf(pair.Value) == type))
            {
                visited[matched++] = pair;
            }
        }

        context.Reply.ArrayHeader(2);
        context.Reply.BulkInteger(next);
        context.Reply.ArrayHeader(matched);
        for (int i = 0; i < matched; i++)
        {
            context.Reply.Bulk(visited[i].Key);
        }
    }

    private static void RandomKey(CommandContext context, CommandArgs args)
    {
        Database database = context.Database;
        for (int attempt = 0; attempt < RandomKeyAttempts; attempt++)
        {
            byte[]? key = database.SampleKey(ref context.Random);
            if (key is null)
            {
                break;
            }

            if (database.Read(key, context.TimeMs) is not null)
            {
                context.Reply.Bulk(key);
                return;
            }
        }

        // Nearly every sampled key had expired: any live key will do, or none.
        foreach (KeyValuePair<byte[], KeyEntry> pair in database.Keys)
        {
            if (!database.IsExpired(pair.Key, pair.Value, context.TimeMs))
            {
                context.Reply.Bulk(pair.Key);
                return;
            }
        }

        context.Reply.NullBulk();
    }

    private static void DbSize(CommandContext context, CommandArgs args) => context.Reply.Integer(context.Database.Count);

    private static void Flush(CommandContext context, CommandArgs args)
    {
        // One database, so FLUSHDB and FLUSHALL are the same; ASYNC and SYNC are accepted and mean nothing here.
        if (args.Count > 2 || (args.Count == 2 && !args.Is(1, "ASYNC"u8) && !args.Is(1, "SYNC"u8)))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        context.Database.Clear();
        context.Reply.Ok();
    }
}
