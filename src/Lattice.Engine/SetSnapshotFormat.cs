namespace Lattice.Engine;

/// <summary>The set and sorted-set snapshot formats' reads and writes, as <see cref="SnapshotPayload"/> with "member" in errors.</summary>
internal static class SetSnapshotFormat
{
    public static int ReadCount(BinaryReader reader, int bytesPerElementMin) => SnapshotPayload.ReadCount(reader, bytesPerElementMin);

    public static byte[] ReadMember(BinaryReader reader) => SnapshotPayload.ReadBytes(reader, "member");

    public static void WriteMember(BinaryWriter writer, byte[] member) => SnapshotPayload.WriteBytes(writer, member);

    public static void Require(bool condition, string what) => SnapshotPayload.Require(condition, what);
}
