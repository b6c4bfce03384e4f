using System.Buffers.Binary;
using System.Text;
using Lattice.Common;

namespace Lattice.Testing.Simulation;

/// <summary>A client command as it sits in a log entry: kind, operation id, key, value, expected value.</summary>
internal sealed record KvCommand(KvCommandKind Kind, long OperationId, string Key, string? Value, string? Expected)
{
    public byte[] Encode()
    {
        byte[] key = Encoding.UTF8.GetBytes(Key);
        byte[] value = Value is null ? [] : Encoding.UTF8.GetBytes(Value);
        byte[] expected = Expected is null ? [] : Encoding.UTF8.GetBytes(Expected);
        byte[] bytes = new byte[1 + 8 + 3 * 3 + key.Length + value.Length + expected.Length];
        bytes[0] = (byte)Kind;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), OperationId);
        int at = 9;
        at = WriteField(bytes, at, key, true);
        at = WriteField(bytes, at, value, Value is not null);
        at = WriteField(bytes, at, expected, Expected is not null);
        Invariant.Check(at == bytes.Length, "command encoding size mismatch");
        return bytes;
    }

    private static int WriteField(byte[] bytes, int at, byte[] field, bool present)
    {
        Invariant.Check(field.Length < ushort.MaxValue, "field too long");
        bytes[at] = present ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 1), (ushort)field.Length);
        field.CopyTo(bytes, at + 3);
        return at + 3 + field.Length;
    }

    public static KvCommand Decode(ReadOnlySpan<byte> bytes)
    {
        Invariant.Check(bytes.Length >= 9, "command too short");
        var kind = (KvCommandKind)bytes[0];
        long operationId = BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]);
        int at = 9;
        string? key = ReadField(bytes, ref at);
        string? value = ReadField(bytes, ref at);
        string? expected = ReadField(bytes, ref at);
        Invariant.Check(key is not null && at == bytes.Length, "malformed command");
        return new KvCommand(kind, operationId, key, value, expected);
    }

    private static string? ReadField(ReadOnlySpan<byte> bytes, ref int at)
    {
        bool present = bytes[at] == 1;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 1)..]);
        string text = Encoding.UTF8.GetString(bytes.Slice(at + 3, length));
        at += 3 + length;
        return present ? text : null;
    }
}
