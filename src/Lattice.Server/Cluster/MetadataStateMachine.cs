using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// The metadata group's state: for now its membership (applied by the host) and the applied index. The shard map
/// and cluster-wide settings are added here as they arrive; entries it does not know yet are refused loudly.
/// </summary>
internal sealed class MetadataStateMachine : IGroupStateMachine
{
    public ulong AppliedIndex { get; private set; }

    public void BeginApply()
    {
    }

    public void Apply(in Entry entry)
    {
        Invariant.Check(entry.Index == AppliedIndex + 1, "metadata entries apply in order");
        Invariant.Check(entry.Type == EntryType.ConfChange || entry.Data.IsEmpty, "the metadata group holds only membership so far");
        AppliedIndex = entry.Index;
    }

    public void EndApply()
    {
    }

    public object? CaptureSnapshot() => null;

    public void WriteSnapshot(object? captured, long index, Stream output)
    {
    }

    public void EndSnapshot(object? captured)
    {
    }

    public void RestoreSnapshot(Stream input, ulong index) => AppliedIndex = index;
}
