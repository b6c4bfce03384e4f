using System.Buffers.Binary;
using Lattice.Common;

namespace Lattice.Raft.ConfChange;

/// <summary>
/// A membership change as it travels in a log entry. No changes at all means "leave the joint config".
/// The wire form is: version byte, transition byte, u16 count, then (type byte, u64 node id) per change.
/// </summary>
public sealed record ConfChangeRequest(ConfChangeTransition Transition, ConfChangeSingle[] Changes)
{
    private const byte FormatVersion = 1;
    private const int MaxChanges = 64;
    private const int ChangeBytes = 9;

    public static ConfChangeRequest LeaveJoint { get; } = new(ConfChangeTransition.Auto, []);

    public bool IsLeaveJoint => Changes.Length == 0;

    public static ConfChangeRequest Single(ConfChangeType type, ulong nodeId) =>
        new(ConfChangeTransition.Auto, [new ConfChangeSingle(type, nodeId)]);

    public bool AutoLeave => Transition != ConfChangeTransition.JointExplicit;

    public byte[] Encode()
    {
        Invariant.Check(Changes.Length <= MaxChanges, "too many changes in one request");
        byte[] bytes = new byte[4 + Changes.Length * ChangeBytes];
        bytes[0] = FormatVersion;
        bytes[1] = (byte)Transition;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)Changes.Length);
        for (int i = 0; i < Changes.Length; i++)
        {
            int at = 4 + i * ChangeBytes;
            bytes[at] = (byte)Changes[i].Type;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 1), Changes[i].NodeId);
        }

        return bytes;
    }

    /// <summary>Decodes a change; malformed bytes give false, never an exception.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out ConfChangeRequest request)
    {
        request = LeaveJoint;
        if (bytes.Length < 4 || bytes[0] != FormatVersion || bytes[1] > (byte)ConfChangeTransition.JointExplicit)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);
        if (count > MaxChanges || bytes.Length != 4 + count * ChangeBytes)
        {
            return false;
        }

        var changes = new ConfChangeSingle[count];
        for (int i = 0; i < count; i++)
        {
            int at = 4 + i * ChangeBytes;
            if (bytes[at] > (byte)ConfChangeType.RemoveNode)
            {
                return false;
            }

            changes[i] = new ConfChangeSingle((ConfChangeType)bytes[at], BinaryPrimitives.ReadUInt64LittleEndian(bytes[(at + 1)..]));
        }

        request = new ConfChangeRequest((ConfChangeTransition)bytes[1], changes);
        return true;
    }

    public override string ToString()
    {
        if (IsLeaveJoint)
        {
            return "leave-joint";
        }

        var parts = new string[Changes.Length];
        for (int i = 0; i < Changes.Length; i++)
        {
            string verb = Changes[i].Type switch
            {
                ConfChangeType.AddVoter => "v",
                ConfChangeType.AddLearner => "l",
                _ => "r",
            };
            parts[i] = verb + Changes[i].NodeId;
        }

        return string.Join(' ', parts) + (Transition == ConfChangeTransition.Auto ? "" : " " + Transition);
    }
}
