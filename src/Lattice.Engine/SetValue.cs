using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A Redis set: distinct byte-string members in a <see cref="ByteTable{TValue}"/>, whose slot numbers serve
/// as SSCAN cursors. Member arrays are never mutated once stored, so clones may share them.
/// </summary>
public sealed class SetValue : CollectionValue
{
    // Layout never decides a write's effect (SPOP picks by content), so one fixed seed serves every set.
    private const ulong MemberHashSeed = 0x53455456414C5545;
    private const long EntryOverheadBytes = 40;

    // Sum of member lengths, kept as members come and go so EstimateBytes is O(1).
    private long _memberBytes;

    public SetValue()
        : this(new ByteTable<Empty>(0, MemberHashSeed))
    {
    }

    private SetValue(ByteTable<Empty> members, long memberBytes = 0)
    {
        Members = members;
        _memberBytes = memberBytes;
    }

    public override ValueKind Kind => ValueKind.Set;

    public override int Count => Members.Count;

    /// <summary>The members, for iteration and slot-based scans; mutate only through this class.</summary>
    internal ByteTable<Empty> Members { get; }

    public bool Contains(ReadOnlySpan<byte> member) => Members.ContainsKey(member);

    /// <summary>Adds a member (copying it); false when already present.</summary>
    public bool Add(ReadOnlySpan<byte> member)
    {
        Members.GetValueRefOrAddDefault(member, out bool exists);
        if (!exists)
        {
            _memberBytes += member.Length;
        }

        return !exists;
    }

    /// <summary>Adds a member array that the caller never mutates afterwards.</summary>
    public bool AddShared(byte[] member)
    {
        Members.GetValueRefOrAddDefault(member, out bool exists);
        if (!exists)
        {
            _memberBytes += member.Length;
        }

        return !exists;
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (!Members.Remove(member))
        {
            return false;
        }

        _memberBytes -= member.Length;
        return true;
    }

    public static SetValue ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int count = SetSnapshotFormat.ReadCount(reader, sizeof(int));
            var set = new SetValue();
            for (int i = 0; i < count; i++)
            {
                SetSnapshotFormat.Require(set.AddShared(SetSnapshotFormat.ReadMember(reader)), "duplicate set member");
            }

            return set;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot payload is damaged: truncated set", e);
        }
    }

    public override CollectionValue Clone() => new SetValue(Members.CopyKeepingSlots(MemberHashSeed), _memberBytes);

    public override void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Count);
        int written = 0;
        foreach (KeyValuePair<byte[], Empty> pair in Members)
        {
            SetSnapshotFormat.WriteMember(writer, pair.Key);
            written++;
        }

        Invariant.Check(written == Count, "snapshot wrote every member");
    }

    public override long EstimateBytes() => Members.TableBytes + (Count * EntryOverheadBytes) + _memberBytes;
}
