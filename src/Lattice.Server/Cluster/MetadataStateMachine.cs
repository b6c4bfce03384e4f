using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// The metadata group's state: the cluster's member addresses (its Raft membership is applied by the host). Every
/// node applies the same entries, so every node knows every member's address; the shard map and cluster-wide
/// settings join it as they are built. <see cref="Members"/> is replaced whole on each change, so any thread may read it.
/// </summary>
internal sealed class MetadataStateMachine : IGroupStateMachine
{
    private readonly Action<IReadOnlyList<ClusterMember>> _membersChanged;
    private List<ClusterMember> _members;

    public MetadataStateMachine(IReadOnlyList<ClusterMember> initial, Action<IReadOnlyList<ClusterMember>> membersChanged)
    {
        _members = [.. initial];
        _membersChanged = membersChanged;
    }

    public ulong AppliedIndex { get; private set; }

    public IReadOnlyList<ClusterMember> Members => Volatile.Read(ref _members);

    public void Prefetch(ReadOnlySpan<Entry> entries)
    {
        // Membership entries are few and small: nothing worth loading ahead.
    }

    public void BeginApply()
    {
    }

    public void Apply(in Entry entry)
    {
        Invariant.Check(entry.Index == AppliedIndex + 1, "metadata entries apply in order");
        AppliedIndex = entry.Index;
        if (entry.Type == EntryType.ConfChange || entry.Data.IsEmpty)
        {
            return;
        }

        bool known = MetadataEntry.TryRead(entry.Data.Span, out byte kind, out ClusterMember? member, out ulong removedId);
        Invariant.Check(known, "metadata entries are checked before they are proposed");
        var next = new List<ClusterMember>(_members.Count + 1);
        foreach (ClusterMember existing in _members)
        {
            if (existing.Id != (kind == MetadataEntry.SetMemberKind ? member!.Id : removedId))
            {
                next.Add(existing);
            }
        }

        if (kind == MetadataEntry.SetMemberKind)
        {
            next.Add(member!);
            next.Sort((a, b) => a.Id.CompareTo(b.Id));
        }

        Publish(next);
    }

    public void EndApply()
    {
    }

    public object? CaptureSnapshot() => _members;

    public void WriteSnapshot(object? captured, long index, Stream output)
    {
        var members = (List<ClusterMember>)captured!;
        using var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(members.Count);
        foreach (ClusterMember member in members)
        {
            writer.Write(member.ToString());
        }
    }

    public void EndSnapshot(object? captured)
    {
    }

    public void RestoreSnapshot(Stream input, ulong index)
    {
        using var reader = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        int count = reader.ReadInt32();
        if (count is < 0 or > 1 << 16)
        {
            throw new InvalidDataException($"metadata snapshot: member count {count} out of range");
        }

        var members = new List<ClusterMember>(count);
        for (int i = 0; i < count; i++)
        {
            string text = reader.ReadString();
            if (ClusterMember.TryParse(text, out ClusterMember? member) is { } error)
            {
                throw new InvalidDataException($"metadata snapshot: {error}");
            }

            members.Add(member!);
        }

        AppliedIndex = index;
        Publish(members);
    }

    private void Publish(List<ClusterMember> members)
    {
        Volatile.Write(ref _members, members);
        _membersChanged(members);
    }
}
