using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>APPEND, STRLEN, GETRANGE and SETRANGE. A change builds a new array; the old one may still be read by a snapshot.</summary>
public static class StringRangeCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags grows = CommandFlags.Write | CommandFlags.DenyOom;
        StringCommands.Add(table, "append", 3, grows | CommandFlags.Fast, Append, "Appends to a key's string value.", "key value");
        StringCommands.Add(table, "strlen", 2, CommandFlags.ReadOnly | CommandFlags.Fast, StrLen, "Returns the length of a key's string value.",
            "key");
        StringCommands.Add(table, "getrange", 4, CommandFlags.ReadOnly, GetRange, "Returns a substring of a key's string value.",
            "key start:integer end:integer");
        StringCommands.Add(table, "setrange", 4, grows, SetRange, "Overwrites part of a key's string value, zero-padding as needed.",
            "key offset:integer value");
    }

    private static void Append(CommandContext context, CommandArgs args)
    {
        ReadOnlySpan<byte> tail = args[2];
        object? current = context.Database.ReadForWrite(args[1], context.TimeMs);
        if (current is not null and not byte[])
        {
            context.Reply.Error(Errors.WrongType);
            return;
        }

        byte[] head = current as byte[] ?? [];
        if (head.Length + (long)tail.Length > context.MaxStringBytes)
        {
            context.Reply.Error(Errors.StringTooLong);
            return;
        }

        // O(length) per append, unlike Redis's amortised growth: stored strings are never mutated.
        byte[] joined = new byte[head.Length + tail.Length];
        head.CopyTo(joined, 0);
        tail.CopyTo(joined.AsSpan(head.Length));
        context.Database.Set(args[1], joined, keepTtl: true);
        context.Reply.Integer(joined.Length);
    }

    private static void StrLen(CommandContext context, CommandArgs args)
    {
        object? value = context.Database.Read(args[1], context.TimeMs);
        if (value is null or byte[])
        {
            context.Reply.Integer((value as byte[])?.Length ?? 0);
        }
        else
        {
            context.Reply.Error(Errors.WrongType);
        }
    }

    private static void GetRange(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long start) || !ArgParser.TryParseInt64(args[3], out long end))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        object? value = context.Database.Read(args[1], context.TimeMs);
        if (value is not null and not byte[])
        {
            context.Reply.Error(Errors.WrongType);
            return;
        }

        byte[] text = value as byte[] ?? [];
        long length = text.Length;
        // Redis 7: both negative and reversed is empty; otherwise negatives count from the end and clamp to 0
        // (so an end before the start of the string still selects the first byte).
        if (start < 0 && end < 0 && start > end)
        {
            context.Reply.Bulk(ReadOnlySpan<byte>.Empty);
            return;
        }

        start = Math.Max(0, start < 0 ? length + start : start);
        end = Math.Max(0, end < 0 ? length + end : end);
        end = Math.Min(end, length - 1);
        if (start > end || length == 0)
        {
            context.Reply.Bulk(ReadOnlySpan<byte>.Empty);
            return;
        }

        context.Reply.Bulk(text.AsSpan((int)start, (int)(end - start + 1)));
    }

    private static void SetRange(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long offset))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (offset < 0)
        {
            context.Reply.Error(Errors.OffsetOutOfRange);
            return;
        }

        ReadOnlySpan<byte> patch = args[3];
        object? current = context.Database.ReadForWrite(args[1], context.TimeMs);
        if (current is not null and not byte[])
        {
            context.Reply.Error(Errors.WrongType);
            return;
        }

        byte[]? old = current as byte[];
        if (patch.IsEmpty)
        {
            // Nothing to write: the current length (0 for a missing key, which is not created).
            context.Reply.Integer(old?.Length ?? 0);
            return;
        }

        if (offset > context.MaxStringBytes - patch.Length)
        {
            context.Reply.Error(Errors.StringTooLong);
            return;
        }

        int oldLength = old?.Length ?? 0;
        byte[] updated = new byte[Math.Max(oldLength, (int)offset + patch.Length)];
        old?.CopyTo(updated, 0);
        patch.CopyTo(updated.AsSpan((int)offset));
        context.Database.Set(args[1], updated, keepTtl: true);
        context.Reply.Integer(updated.Length);
    }
}
