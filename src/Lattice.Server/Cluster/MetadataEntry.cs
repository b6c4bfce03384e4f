using System.Buffers.Binary;
using System.Text;

namespace Lattice.Server.Cluster;

/// <summary>
/// Entries of the metadata group. <c>u8 kind | body</c>: 1 = add or update a member (body: its address,
/// <c>id=host:port@peerport</c> in UTF-8), 2 = remove a member (body: u64 id). Kinds stay below the log's
/// membership-change marker byte.
/// </summary>
internal static class MetadataEntry
{
    public const byte SetMemberKind = 1;
    public const byte RemoveMemberKind = 2;

    public static byte[] SetMember(ClusterMember member)
    {
        byte[] text = Encoding.UTF8.GetBytes(member.ToString());
        byte[] entry = new byte[1 + text.Length];
        entry[0] = SetMemberKind;
        text.CopyTo(entry, 1);
        return entry;
    }

    public static byte[] RemoveMember(ulong id)
    {
        byte[] entry = new byte[9];
        entry[0] = RemoveMemberKind;
        BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(1), id);
        return entry;
    }

    /// <summary>Decodes an entry; false for anything this version does not know (checked before proposing).</summary>
    public static bool TryRead(ReadOnlySpan<byte> entry, out byte kind, out ClusterMember? member, out ulong removedId)
    {
        kind = entry.IsEmpty ? (byte)0 : entry[0];
        member = null;
        removedId = 0;
        switch (kind)
        {
            case SetMemberKind:
                return ClusterMember.TryParse(Encoding.UTF8.GetString(entry[1..]), out member) is null;
            case RemoveMemberKind when entry.Length == 9:
                removedId = BinaryPrimitives.ReadUInt64LittleEndian(entry[1..]);
                return removedId != 0;
            default:
                return false;
        }
    }
}
