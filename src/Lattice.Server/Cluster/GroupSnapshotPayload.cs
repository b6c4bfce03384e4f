using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// What a group's snapshot file (and the snapshot a leader streams to a follower) holds: the membership at the
/// snapshot's index, then the state machine's own image. <c>u32 magic | 4 × (u32 count, u64 ids) | u8 autoLeave | machine</c>.
/// </summary>
internal static class GroupSnapshotPayload
{
    private const uint Magic = 0x50534C47; // "GLSP"
    private const int MembersMax = 1 << 16;

    public static void WriteConfState(Stream output, ConfState conf)
    {
        using var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        WriteIds(writer, conf.Voters);
        WriteIds(writer, conf.VotersOutgoing);
        WriteIds(writer, conf.Learners);
        WriteIds(writer, conf.LearnersNext);
        writer.Write(conf.AutoLeave);
    }

    /// <summary>Reads the membership; the stream is left at the machine's image. Damage throws <see cref="InvalidDataException"/>.</summary>
    public static ConfState ReadConfState(Stream input)
    {
        using var reader = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic)
        {
            throw new InvalidDataException("not a group snapshot (bad magic)");
        }

        ulong[] voters = ReadIds(reader);
        ulong[] outgoing = ReadIds(reader);
        ulong[] learners = ReadIds(reader);
        ulong[] learnersNext = ReadIds(reader);
        return new ConfState(voters, outgoing, learners, learnersNext, reader.ReadBoolean());
    }

    private static void WriteIds(BinaryWriter writer, ulong[] ids)
    {
        writer.Write(ids.Length);
        foreach (ulong id in ids)
        {
            writer.Write(id);
        }
    }

    private static ulong[] ReadIds(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count is < 0 or > MembersMax)
        {
            throw new InvalidDataException($"member count {count} out of range");
        }

        var ids = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = reader.ReadUInt64();
        }

        return ids;
    }
}
