using System.Buffers;
using System.Buffers.Binary;
using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The payload of a log entry: kind, the proposer's time (so expiry and TTLs replay identically), then the
/// command(s) as RESP multibulk requests.
/// Command:     [u8 kind=1][i64 timeMs][request]
/// Transaction: [u8 kind=2][i64 timeMs][i32 watchCount]{[i32 keyBytes][key][i64 version]}[i32 commandCount]{request}
/// </summary>
public static class LogEntryCodec
{
    public const int HeaderBytes = 9;

    public static void WriteCommand(IBufferWriter<byte> output, long timeMs, CommandArgs args)
    {
        WriteHeader(output, EntryKind.Command, timeMs);
        RequestEncoder.Write(output, args);
    }

    public static void WriteNoop(IBufferWriter<byte> output, long timeMs) => WriteHeader(output, EntryKind.Noop, timeMs);

    public static void WriteHeader(IBufferWriter<byte> output, EntryKind kind, long timeMs)
    {
        Span<byte> span = output.GetSpan(HeaderBytes);
        span[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], timeMs);
        output.Advance(HeaderBytes);
    }

    public static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteWatch(IBufferWriter<byte> output, ReadOnlySpan<byte> key, long version)
    {
        WriteInt32(output, key.Length);
        output.Write(key);
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), version);
        output.Advance(8);
    }

    public static EntryKind ReadKind(ReadOnlySpan<byte> payload, out long timeMs)
    {
        Invariant.Check(payload.Length >= HeaderBytes, "entry has a header");
        timeMs = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
        var kind = (EntryKind)payload[0];
        Invariant.Check(kind is EntryKind.Command or EntryKind.Transaction or EntryKind.Noop, "known entry kind");
        return kind;
    }

    public static int ReadInt32(ReadOnlySpan<byte> payload, ref int at)
    {
        Invariant.Check(at + 4 <= payload.Length, "entry holds the field");
        int value = BinaryPrimitives.ReadInt32LittleEndian(payload[at..]);
        at += 4;
        return value;
    }

    public static long ReadInt64(ReadOnlySpan<byte> payload, ref int at)
    {
        Invariant.Check(at + 8 <= payload.Length, "entry holds the field");
        long value = BinaryPrimitives.ReadInt64LittleEndian(payload[at..]);
        at += 8;
        return value;
    }
}
