using System.Buffers.Text;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT: the value is kept as its decimal text, and its TTL stays.</summary>
public static class StringCounterCommands
{
    private const int Int64TextBytesMax = 20;

    private static ReadOnlySpan<byte> DecrementOverflow => "ERR decrement would overflow"u8;

    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags counter = CommandFlags.Write | CommandFlags.DenyOom | CommandFlags.Fast;
        StringCommands.Add(table, "incr", 2, counter, Incr, "Adds one to a key's integer value.", "key");
        StringCommands.Add(table, "decr", 2, counter, Decr, "Subtracts one from a key's integer value.", "key");
        StringCommands.Add(table, "incrby", 3, counter, IncrBy, "Adds an integer to a key's integer value.", "key increment:integer");
        StringCommands.Add(table, "decrby", 3, counter, DecrBy, "Subtracts an integer from a key's integer value.", "key decrement:integer");
        StringCommands.Add(table, "incrbyfloat", 3, counter, IncrByFloat, "Adds a floating-point number to a key's value.", "key increment:double");
    }

    private static void Incr(CommandContext context, CommandArgs args) => Add(context, args[1], 1);

    private static void Decr(CommandContext context, CommandArgs args) => Add(context, args[1], -1);

    private static void IncrBy(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long increment))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        Add(context, args[1], increment);
    }

    private static void DecrBy(CommandContext context, CommandArgs args)
    {
        if (!ArgParser.TryParseInt64(args[2], out long decrement))
        {
            context.Reply.Error(Errors.NotInteger);
            return;
        }

        if (decrement == long.MinValue)
        {
            context.Reply.Error(DecrementOverflow);
            return;
        }

        Add(context, args[1], -decrement);
    }

    private static void Add(CommandContext context, ReadOnlySpan<byte> key, long increment)
    {
        object? current = context.Database.ReadForWrite(key, context.TimeMs);
        long value = 0;
        if (current is not null)
        {
            if (current is not byte[] text)
            {
                context.Reply.Error(Errors.WrongType);
                return;
            }

            if (!ArgParser.TryParseInt64(text, out value))
            {
                context.Reply.Error(Errors.NotInteger);
                return;
            }
        }

        if ((increment < 0 && value < 0 && increment < long.MinValue - value) ||
            (increment > 0 && value > 0 && increment > long.MaxValue - value))
        {
            context.Reply.Error(Errors.Overflow);
            return;
        }

        long result = value + increment;
        Span<byte> buffer = stackalloc byte[Int64TextBytesMax];
        bool formatted = Utf8Formatter.TryFormat(result, buffer, out int written);
        Lattice.Common.Invariant.Check(formatted, "a long fits 20 bytes");
        context.Database.SetString(key, buffer[..written], keepTtl: true);
        context.Reply.Integer(result);
    }

    private static void IncrByFloat(CommandContext context, CommandArgs args)
    {
        object? current = context.Database.ReadForWrite(args[1], context.TimeMs);
        StringLongDouble value = default;
        if (current is not null)
        {
            if (current is not byte[] text)
            {
                context.Reply.Error(Errors.WrongType);
                return;
            }

            if (!StringLongDouble.TryParse(text, out value))
            {
                context.Reply.Error(Errors.NotFloat);
                return;
            }
        }

        if (!StringLongDouble.TryParse(args[2], out StringLongDouble increment))
        {
            context.Reply.Error(Errors.NotFloat);
            return;
        }

        // Redis adds in 80-bit long double precision; a double would store different digits.
        StringLongDouble result = value.Add(increment);
        if (result.IsInfinity)
        {
            context.Reply.Error(Errors.NanOrInfinity);
            return;
        }

        byte[] stored = System.Text.Encoding.ASCII.GetBytes(result.ToFixedText());
        context.Database.Set(args[1], stored, keepTtl: true);
        context.Reply.Bulk(stored);
    }
}
