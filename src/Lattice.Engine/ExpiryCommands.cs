using System.Buffers;
using System.Buffers.Text;
using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The delete the node logs when it finds an expired key (lazily on access or by active sampling), so a
/// replay removes exactly the keys the live node removed.
/// </summary>
public static class ExpiryCommands
{
    /// <summary>Internal command name; clients cannot call it.</summary>
    public const string ExpireDeleteName = "lattice.expire";

    public static void Register(CommandTable table)
    {
        table.Add(new CommandSpec
        {
            Name = ExpireDeleteName,
            Arity = 2,
            Flags = CommandFlags.Write | CommandFlags.Internal,
            FirstKey = 1,
            LastKey = 1,
            Handler = ExpireDelete,
            Summary = "Deletes a key whose TTL has passed at the entry's time.",
        });
    }

    /// <summary>Encodes the log entry that deletes <paramref name="key"/> if it has expired at <paramref name="timeMs"/>.</summary>
    public static void WriteExpireEntry(IBufferWriter<byte> output, long timeMs, ReadOnlySpan<byte> key)
    {
        LogEntryCodec.WriteHeader(output, EntryKind.Command, timeMs);
        output.Write("*2\r\n$14\r\n"u8);
        output.Write("lattice.expire\r\n$"u8);
        Span<byte> digits = output.GetSpan(20);
        Invariant.Check(Utf8Formatter.TryFormat(key.Length, digits, out int written), "a length formats in 20 bytes");
        output.Advance(written);
        output.Write("\r\n"u8);
        output.Write(key);
        output.Write("\r\n"u8);
    }

    private static void ExpireDelete(CommandContext context, CommandArgs args)
    {
        // ReadForWrite deletes the key when its time has passed at the entry's time; a key that was
        // given a new TTL or value since stays.
        int deleted = context.Database.ReadForWrite(args[1], context.TimeMs) is null ? 1 : 0;
        context.Reply.Integer(deleted);
    }
}
