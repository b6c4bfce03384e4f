using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// --unsafe early-ack (testing only): a deliberate bug for the chaos harness to catch. While this node leads the data
/// group, every entry is applied as soon as it is in the node's own durable log (after the Ready's flush), not once a
/// majority has it; the apply writes the waiting session's reply, so the write is acknowledged before it is
/// committed. The state machine's applied index runs ahead of the commit index, and FinishReady skips committed
/// entries at or below it; reads wait for that applied index as usual, so strong reads still complete. If the
/// entries applied early are later replaced (the node lost leadership and the new leader's log differs), the node
/// keeps its diverged state and goes on serving: that is the lost acknowledged write the harness must find.
/// </summary>
public sealed partial class ClusterNode
{
    private readonly EntryBuffer _earlyEntries = new();

    /// <summary>Applies every entry of the group's durable log past the applied index (the caller leads the group).</summary>
    private void ApplyBeforeCommit(ReplicatedGroup group)
    {
        ulong from = group.Machine.AppliedIndex + 1;
        ulong last = group.Log.LastIndex();
        if (from > last)
        {
            return;
        }

        // From the log, not the Ready: a new leader may hold earlier-term entries that are not committed yet.
        group.Log.Entries(from, last + 1, long.MaxValue, _earlyEntries);
        group.Machine.BeginApply();
        try
        {
            ReadOnlySpan<Entry> entries = _earlyEntries.Span;
            for (int i = 0; i < entries.Length; i++)
            {
                PrefetchAt(group, entries, i);
                group.Machine.Apply(entries[i]);
            }
        }
        finally
        {
            group.Machine.EndApply();
            _earlyEntries.Clear();
        }
    }

    /// <summary>
    /// Entries from <paramref name="firstIndex"/> are about to replace the log's suffix: if some of those indexes were
    /// applied early, this replica's state no longer follows the log. Said once per replacement, for the harness's
    /// post-mortem; nothing is undone.
    /// </summary>
    private void NoteReplacedEarlyApplies(ReplicatedGroup group, ulong firstIndex)
    {
        ulong applied = group.Machine.AppliedIndex;
        if (firstIndex <= applied && firstIndex <= group.Log.LastIndex())
        {
            _log($"UNSAFE early-ack: group {group.GroupId}: the log from index {firstIndex} is being replaced, but this node " +
                $"already applied up to {applied} before commit; its state has diverged from the cluster's and stays so");
        }
    }

    /// <summary>No snapshot while applied entries may not be in the committed log (it could not be taken at an index).</summary>
    private bool AppliedAheadOfCommit() => _data.EarlyAck && _data.Machine.AppliedIndex > _data.Raft.CommitIndex;
}
