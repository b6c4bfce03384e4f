namespace Lattice.Engine;

/// <summary>
/// Reading helpers shared by the set and sorted-set snapshot formats: every count and length is checked
/// before anything is allocated, so a damaged snapshot fails with <see cref="InvalidDataException"/>.
/// </summary>
internal static class SetSnapshotFormat
{
    /// <summary>Largest member, as proto-max-bulk-len.</summary>
    public const int MemberBytesMax = 512 * 1024 * 1024;

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

    public static byte[] ReadMember(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        Require(length is >= 0 and <= MemberBytesMax, "member length out of range");
        Stream stream = reader.BaseStream;
        if (stream.CanSeek)
        {
            Require(length <= stream.Length - stream.Position, "member length exceeds the payload");
        }

        byte[] member = reader.ReadBytes(length);
        Require(member.Length == length, "truncated member");
        return member;
    }

    public static void WriteMember(BinaryWriter writer, byte[] member)
    {
        writer.Write(member.Length);
        writer.Write(member);
    }

    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"snapshot payload is damaged: {what}");
        }
    }
}
