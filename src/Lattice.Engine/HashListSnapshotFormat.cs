namespace Lattice.Engine;

/// <summary>
/// Reading and writing helpers for the list and hash snapshot formats: every count and length is checked
/// before anything is allocated, so a damaged snapshot fails with <see cref="InvalidDataException"/>
/// instead of a crash or a huge allocation.
/// </summary>
internal static class HashListSnapshotFormat
{
    /// <summary>Largest element, field or value, as proto-max-bulk-len.</summary>
    public const int ElementBytesMax = 512 * 1024 * 1024;

    /// <summary>Reads an element count, refusing one the rest of the payload cannot hold.</summary>
    public static int ReadCount(BinaryReader reader, int bytesPerElementMin)
    {
        int count = reader.ReadInt32();
        Require(count >= 0, "negative element count");
        Stream stream = reader.BaseStream;
        if (stream.CanSeek)
        {
            Require((long)count * bytesPerElementMin <= stream.Length - stream.Position, "element count exceeds the payload");
        }
        else
        {
            // Without a length to check against, at least refuse counts no collection could reach.
            Require(count <= Array.MaxLength / 2, "element count out of range");
        }

        return count;
    }

    public static byte[] ReadBytes(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        Require(length is >= 0 and <= ElementBytesMax, "element length out of range");
        Stream stream = reader.BaseStream;
        if (stream.CanSeek)
        {
            Require(length <= stream.Length - stream.Position, "element length exceeds the payload");
        }

        byte[] bytes = reader.ReadBytes(length);
        Require(bytes.Length == length, "truncated element");
        return bytes;
    }

    public static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"snapshot payload is damaged: {what}");
        }
    }
}
