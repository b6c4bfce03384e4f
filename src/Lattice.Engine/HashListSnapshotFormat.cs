namespace Lattice.Engine;

/// <summary>
/// The list and hash snapshot formats' reads and writes, as <see cref="SnapshotPayload"/> with "element" in
/// errors, plus a count bound for payloads without a length.
/// </summary>
internal static class HashListSnapshotFormat
{
    /// <summary>Reads an element count, refusing one the rest of the payload cannot hold.</summary>
    public static int ReadCount(BinaryReader reader, int bytesPerElementMin)
    {
        int count = SnapshotPayload.ReadCount(reader, bytesPerElementMin);

        // Without a length to check against, at least refuse counts no collection could reach.
        Require(reader.BaseStream.CanSeek || count <= Array.MaxLength / 2, "element count out of range");
        return count;
    }

    public static byte[] ReadBytes(BinaryReader reader) => SnapshotPayload.ReadBytes(reader, "element");

    public static ReadOnlySpan<byte> ReadBytes(BinaryReader reader, ref byte[] scratch) => SnapshotPayload.ReadBytes(reader, "element", ref scratch);

    public static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes) => SnapshotPayload.WriteBytes(writer, bytes);

    public static void Require(bool condition, string what) => SnapshotPayload.Require(condition, what);
}
