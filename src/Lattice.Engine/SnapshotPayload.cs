using System.Buffers.Binary;

namespace Lattice.Engine;

/// <summary>
/// Checked reads for the collection snapshot formats: every count and length is checked before anything is
/// allocated, so a damaged snapshot fails with <see cref="InvalidDataException"/> instead of a crash or a huge
/// allocation.
/// </summary>
internal static class SnapshotPayload
{
    /// <summary>Elements up to this size are written with their length in one call.</summary>
    private const int SmallBytesMax = 252;

    /// <summary>Largest element, field, value or member, as proto-max-bulk-len.</summary>
    public const int BytesMax = 512 * 1024 * 1024;

    /// <summary>Reads an element count, refusing one a seekable payload's remaining bytes cannot hold.</summary>
    public static int ReadCount(BinaryReader reader, int bytesPerElementMin)
    {
        int count = reader.ReadInt32();
        Require(count >= 0, "negative element count");
        Stream stream = reader.BaseStream;
        if (stream.CanSeek)
        {
            Require((long)count * bytesPerElementMin <= stream.Length - stream.Position, "element count exceeds the payload");
        }

        return count;
    }

    /// <summary>Reads a length-prefixed byte string; <paramref name="noun"/> ("element", "member") names it in errors.</summary>
    public static byte[] ReadBytes(BinaryReader reader, string noun)
    {
        int length = ReadLength(reader, noun);
        byte[] bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw Damaged($"truncated {noun}");
        }

        return bytes;
    }

    /// <summary>
    /// As <see cref="ReadBytes(BinaryReader, string)"/>, into <paramref name="scratch"/> (grown when too small) for
    /// a caller that copies the bytes elsewhere: no array per element.
    /// </summary>
    public static ReadOnlySpan<byte> ReadBytes(BinaryReader reader, string noun, ref byte[] scratch)
    {
        int length = ReadLength(reader, noun);
        if (scratch.Length < length)
        {
            scratch = new byte[length];
        }

        Span<byte> bytes = scratch.AsSpan(0, length);
        int read = 0;
        while (read < length)
        {
            int got = reader.Read(bytes[read..]);
            if (got == 0)
            {
                throw Damaged($"truncated {noun}");
            }

            read += got;
        }

        return bytes;
    }

    public static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > SmallBytesMax)
        {
            writer.Write(bytes.Length);
            writer.Write(bytes);
            return;
        }

        // A collection's elements are mostly small: one write for the length and the bytes instead of two.
        Span<byte> record = stackalloc byte[sizeof(int) + SmallBytesMax];
        BinaryPrimitives.WriteInt32LittleEndian(record, bytes.Length);
        bytes.CopyTo(record[sizeof(int)..]);
        writer.Write(record[..(sizeof(int) + bytes.Length)]);
    }

    private static int ReadLength(BinaryReader reader, string noun)
    {
        int length = reader.ReadInt32();
        if (length is < 0 or > BytesMax)
        {
            throw Damaged($"{noun} length out of range");
        }

        Stream stream = reader.BaseStream;
        if (stream.CanSeek && length > stream.Length - stream.Position)
        {
            throw Damaged($"{noun} length exceeds the payload");
        }

        return length;
    }

    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw Damaged(what);
        }
    }

    private static InvalidDataException Damaged(string what) => new($"snapshot payload is damaged: {what}");
}
