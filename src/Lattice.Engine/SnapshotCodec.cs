using System.Text;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// Serialises a keyspace snapshot: magic, applied index, key count, then per key its bytes, expiry,
/// version, kind and value. The storage layer wraps it in a checksummed file.
/// </summary>
public static class SnapshotCodec
{
    private const uint Magic = 0x5454414C; // "LATT"
    private const int FormatVersion = 1;
    private const int KeyBytesMax = 512 * 1024 * 1024;

    public static void Write(Stream output, DatabaseSnapshot snapshot, long appliedIndex)
    {
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(appliedIndex);
        writer.Write(snapshot.Entries.Count);
        foreach (SnapshotEntry entry in snapshot.Entries)
        {
            writer.Write(entry.Key.Length);
            writer.Write(entry.Key);
            writer.Write(entry.ExpireAtMs);
            writer.Write(entry.Version);
            WriteValue(writer, entry.Value);
        }

        writer.Write(Magic);
    }

    /// <summary>Loads a snapshot into an empty database; returns the applied index it was taken at.</summary>
    public static long Read(Stream input, Database database)
    {
        Invariant.Check(database.Count == 0, "snapshots load into an empty database");
        using var reader = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        Require(reader.ReadUInt32() == Magic, "bad magic");
        Require(reader.ReadInt32() == FormatVersion, "unknown format version");
        long appliedIndex = reader.ReadInt64();
        Require(appliedIndex >= 0, "negative applied index");
        int count = reader.ReadInt32();
        Require(count >= 0, "negative key count");
        for (int i = 0; i < count; i++)
        {
            int keyBytes = reader.ReadInt32();
            Require(keyBytes is >= 0 and <= KeyBytesMax, "key length out of range");
            byte[] key = reader.ReadBytes(keyBytes);
            Require(key.Length == keyBytes, "truncated key");
            long expireAtMs = reader.ReadInt64();
            long version = reader.ReadInt64();
            Require(expireAtMs >= 0 && version >= 0, "negative expiry time or version");
            object value = ReadValue(reader);
            database.SetWithKeyArray(key, value, expireAtMs);
            database.SetVersion(key, version);
        }

        Require(reader.ReadUInt32() == Magic, "bad trailer");
        return appliedIndex;
    }

    private static void WriteValue(BinaryWriter writer, object value)
    {
        if (value is byte[] text)
        {
            writer.Write((byte)ValueKind.String);
            writer.Write(text.Length);
            writer.Write(text);
            return;
        }

        var collection = (CollectionValue)value;
        writer.Write((byte)collection.Kind);
        collection.WriteSnapshot(writer);
    }

    private static object ReadValue(BinaryReader reader)
    {
        var kind = (ValueKind)reader.ReadByte();
        switch (kind)
        {
            case ValueKind.String:
                int length = reader.ReadInt32();
                Require(length is >= 0 and <= KeyBytesMax, "string length out of range");
                byte[] text = reader.ReadBytes(length);
                Require(text.Length == length, "truncated string");
                return text;
            case ValueKind.List:
                return ListValue.ReadSnapshot(reader);
            case ValueKind.Hash:
                return HashValue.ReadSnapshot(reader);
            case ValueKind.Set:
                return SetValue.ReadSnapshot(reader);
            case ValueKind.SortedSet:
                return SortedSetValue.ReadSnapshot(reader);
            default:
                throw new InvalidDataException($"snapshot holds unknown value kind {(int)kind}");
        }
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"snapshot payload is damaged: {what}");
        }
    }
}
