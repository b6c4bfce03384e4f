using Lattice.Common;

namespace Lattice.Raft.Tracker;

/// <summary>
/// The leader's view of one peer: what it has (Match), what to send next (Next), and how to send it.
/// Invariant: Match &lt; Next.
/// </summary>
public sealed class Progress
{
    public Progress(ulong next, int maxInflightMessages, long maxInflightBytes, bool isLearner)
    {
        Invariant.Check(next > 0, "next index starts at 1");
        Next = next;
        Inflights = new Inflights(maxInflightMessages, maxInflightBytes);
        IsLearner = isLearner;
    }

    public ulong Match { get; private set; }

    public ulong Next { get; private set; }

    public ProgressState State { get; private set; }

    /// <summary>In the probe state: an append is out and we wait for its answer or the next heartbeat.</summary>
    public bool ProbeSent { get; set; }

    public ulong PendingSnapshotIndex { get; private set; }

    /// <summary>Heard from since the last CheckQuorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>Heard from in the CheckQuorum round before the current one.</summary>
    public bool ActiveInPreviousRound { get; set; }

    /// <summary>
    /// Heard from within the last one to two election timeouts. What hosts should judge liveness by: just after a
    /// CheckQuorum round clears <see cref="RecentActive"/>, a healthy peer shows inactive until its next answer.
    /// </summary>
    public bool HeardRecently => RecentActive || ActiveInPreviousRound;

    public bool IsLearner { get; set; }

    public Inflights Inflights { get; }

    /// <summary>Highest read round this peer acknowledged in the current term.</summary>
    public ulong ReadAckSequence { get; set; }

    /// <summary>Leader tick at which the newest heartbeat this peer acknowledged was sent, plus one.</summary>
    public ulong LeaseContactTick { get; set; }

    // Snapshot transfer: one chunk in flight at a time; SnapshotOffsetBytes is the next byte to send.
    public Snapshot? SnapshotInTransfer { get; private set; }

    public long SnapshotOffsetBytes { get; set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.IsFull,
        _ => true,
    };

    public void ResetForNewTerm(ulong next)
    {
        Match = 0;
        ReadAckSequence = 0;
        LeaseContactTick = 0;
        RecentActive = false;
        ActiveInPreviousRound = false;
        ResetState(ProgressState.Probe);
        // A new leader probes right after its own last entry; rejections walk it back.
        Next = next;
    }

    public void BecomeProbe()
    {
        // After a snapshot, the follower has at least the snapshot; start probing right after it.
        ulong next = State == ProgressState.Snapshot ? Math.Max(Match + 1, PendingSnapshotIndex + 1) : Match + 1;
        ResetState(ProgressState.Probe);
        Next = next;
    }

    public void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(Snapshot snapshot)
    {
        Invariant.Check(!snapshot.IsEmpty, "snapshot transfer needs a snapshot");
        ResetState(ProgressState.Snapshot);
        PendingSnapshotIndex = snapshot.Metadata.Index;
        SnapshotInTransfer = snapshot;
        SnapshotOffsetBytes = 0;
    }

    private void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshotIndex = 0;
        SnapshotInTransfer = null;
        SnapshotOffsetBytes = 0;
        State = state;
        Inflights.Reset();
    }

    /// <summary>The peer acknowledged <paramref name="index"/>; false if that was old news.</summary>
    public bool MaybeUpdate(ulong index)
    {
        bool updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }

        Next = Math.Max(Next, index + 1);
        Invariant.Check(Match < Next, "match must stay below next");
        return updated;
    }

    /// <summary>Pipelining: assume the append up to <paramref name="lastIndex"/> will land.</summary>
    public void OptimisticUpdate(ulong lastIndex)
    {
        Invariant.Check(lastIndex >= Next - 1, "optimistic update moves next backwards");
        Next = lastIndex + 1;
    }

    /// <summary>
    /// The peer rejected an append at <paramref name="rejected"/>; back off to <paramref name="matchHint"/>+1.
    /// Returns false when the rejection is stale (answers an append we no longer care about).
    /// </summary>
    public bool MaybeDecreaseTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }

            Next = Match + 1;
            return true;
        }

        if (Next - 1 != rejected)
        {
            return false;
        }

        Next = Math.Max(Math.Min(rejected, matchHint + 1), Match + 1);
        ProbeSent = false;
        Invariant.Check(Next >= 1, "next index must stay positive");
        return true;
    }

    public override string ToString() =>
        $"{State} match={Match} next={Next}" + (IsLearner ? " learner" : "") +
        (State == ProgressState.Snapshot ? $" snap={PendingSnapshotIndex}@{SnapshotOffsetBytes}" : "") +
        (ProbeSent ? " paused" : "") + (Inflights.Count > 0 ? $" inflight={Inflights.Count}" : "");
}
