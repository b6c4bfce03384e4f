using System.Buffers.Text;
using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>HINCRBY and HINCRBYFLOAT: numbers kept as text in hash fields, as Redis keeps them.</summary>
public static class HashCounterCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags counter = CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast;
        HashCommands.Add(table, "hincrby", 4, counter, HIncrBy, "Increments the integer value of a field in a hash by a number.",
            "key field increment:integer", fieldStep: 2);
        HashCommands.Add(table, "hincrbyfloat", 4, counter, HIncrByFloat, "Increments the floating point value of a field by a number.",
            "key field increment:double", fieldStep: 2);
    }

    private static void HIncrBy(CommandContext context, CommandArgs args)
    {
        // Redis checks the increment before it looks at the key.
        if (!ArgParser.TryParseInt64(args[3], out long increment))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out HashValue? hash))
        {
            return;
        }

        long current = 0;
        byte[]? text = hash?.Get(args[2]);
        if (text is not null && !ArgParser.TryParseInt64(text, out current))
        {
            context.Reply.Error(Errors.HashValueNotInteger);
            return;
        }

        if ((increment > 0 && current > long.MaxValue - increment) || (increment < 0 && current < long.MinValue - increment))
        {
            context.Reply.Error(Errors.Overflow);
            return;
        }

        long result = current + increment;
        Span<byte> buffer = stackalloc byte[24];
        bool formatted = Utf8Formatter.TryFormat(result, buffer, out int written);
        Invariant.Check(formatted, "a long fits 24 bytes");
        Store(context, args, hash, buffer[..written].ToArray());
        context.Reply.Integer(result);
    }

    private static void HIncrByFloat(CommandContext context, CommandArgs args)
    {
        if (!StringLongDouble.TryParse(args[3], out StringLongDouble increment))
        {
            context.Reply.Error(Errors.NotFloat);
            return;
        }

        if (increment.IsInfinity)
        {
            context.Reply.Error(HashListErrors.IncrementNotFinite);
            return;
        }

        if (!CollectionCommands.TryReadForWrite(context, args[1], out HashValue? hash))
        {
            return;
        }

        StringLongDouble current = default;
        byte[]? text = hash?.Get(args[2]);
        if (text is not null && !StringLongDouble.TryParse(text, out current))
        {
            context.Reply.Error(Errors.HashValueNotFloat);
            return;
        }

        // Redis adds in 80-bit long double precision and stores "%.17Lf" text, as INCRBYFLOAT does.
        StringLongDouble result = current.Add(increment);
        if (result.IsInfinity)
        {
            context.Reply.Error(Errors.NanOrInfinity);
            return;
        }

        byte[] stored = System.Text.Encoding.ASCII.GetBytes(result.ToFixedText());
        Store(context, args, hash, stored);
        context.Reply.Bulk(stored);
    }

    /// <summary>Writes the new text into the field, creating the hash when the key was absent.</summary>
    private static void Store(CommandContext context, CommandArgs args, HashValue? hash, byte[] text)
    {
        if (hash is null)
        {
            hash = new HashValue();
            context.Database.Set(args[1], hash);
        }

        hash.Set(args[2], text);
    }
}
