using Lattice.Common;

namespace Lattice.Storage;

/// <summary>All groups' written logs, bounded in count.</summary>
internal sealed class GroupLogSet
{
    private readonly Dictionary<ulong, GroupLog> _groups = [];
    private readonly int _groupCountMax;

    public GroupLogSet(int groupCountMax)
    {
        Invariant.Check(groupCountMax > 0, "group limit is positive");
        _groupCountMax = groupCountMax;
    }

    public IEnumerable<GroupLog> Groups => _groups.Values;

    public int Count => _groups.Count;

    public bool IsFull => _groups.Count >= _groupCountMax;

    public bool TryGet(ulong groupId, out GroupLog group) => _groups.TryGetValue(groupId, out group!);

    /// <summary>The group's log, created on first use; null when the group limit is reached.</summary>
    public GroupLog? GetOrAdd(ulong groupId)
    {
        if (_groups.TryGetValue(groupId, out GroupLog? group))
        {
            return group;
        }

        if (IsFull)
        {
            return null;
        }

        group = new GroupLog(groupId);
        _groups.Add(groupId, group);
        return group;
    }

    public Dictionary<ulong, RecoveredGroup> Describe()
    {
        var result = new Dictionary<ulong, RecoveredGroup>(_groups.Count);
        foreach (GroupLog group in _groups.Values)
        {
            long first = group.HasLog ? group.FirstIndex : 0;
            result.Add(group.GroupId, new RecoveredGroup(group.GroupId, first, group.LastIndex, group.LastTerm, group.HardState));
        }

        return result;
    }
}
