using Lattice.Common;
using Lattice.Raft.Tracker;

namespace Lattice.Raft;

/// <summary>
/// InstallSnapshot in chunks (§7): the leader streams the host's latest snapshot one chunk at a time; the
/// follower acknowledges the bytes it holds, so a lost chunk is resent on the next heartbeat answer and a
/// duplicate is harmless. The follower installs the snapshot when the last byte arrives.
/// </summary>
internal sealed partial class RaftCore
{
    private SnapshotAssembly? _incomingSnapshot;

    private bool StartSnapshot(ulong to, Progress progress)
    {
        if (!progress.RecentActive)
        {
            // Do not stream a snapshot to a peer that may be down; wait until it answers.
            return false;
        }

        Snapshot snapshot = Log.Storage.Snapshot();
        if (snapshot.IsEmpty)
        {
            return false;
        }

        progress.BecomeSnapshot(snapshot);
        SendSnapshotChunk(to, progress);
        return true;
    }

    private void SendSnapshotChunk(ulong to, Progress progress)
    {
        Snapshot? snapshot = progress.SnapshotInTransfer;
        Invariant.Check(snapshot is not null, "snapshot state without a snapshot");
        long total = snapshot.Data.Length;
        long offset = progress.SnapshotOffsetBytes;
        Invariant.Check(offset <= total, "snapshot offset beyond its size");
        int length = (int)Math.Min(_options.SnapshotChunkBytes, total - offset);
        Send(new RaftMessage
        {
            To = to, Type = MessageType.SnapshotChunk, Index = snapshot.Metadata.Index, LogTerm = snapshot.Metadata.Term,
            SnapshotConfState = snapshot.Metadata.ConfState, SnapshotOffsetBytes = offset, SnapshotTotalBytes = total,
            SnapshotChunk = snapshot.Data.Slice((int)offset, length), Commit = Log.Committed,
        });
    }

    private void HandleSnapshotChunkResponse(ref RaftMessage message, Progress progress)
    {
        if (progress.State != ProgressState.Snapshot || message.Index != progress.PendingSnapshotIndex)
        {
            return;
        }

        long acked = message.SnapshotOffsetBytes;
        long total = progress.SnapshotInTransfer!.Data.Length;
        // A smaller ack means the follower lost its partial copy (restart) or the chunk was reordered: rewind.
        if (acked == progress.SnapshotOffsetBytes || acked > total)
        {
            return;
        }

        progress.SnapshotOffsetBytes = acked;
        if (acked < total)
        {
            SendSnapshotChunk(message.From, progress);
        }
    }

    private void HandleSnapshotChunk(ref RaftMessage message)
    {
        if (message.Index <= Log.Committed)
        {
            // Already have it: tell the leader where we are so it resumes appends.
            _incomingSnapshot = null;
            Send(new RaftMessage { To = message.From, Type = MessageType.AppendResponse, Index = Log.Committed });
            return;
        }

        SnapshotAssembly assembly = AcceptChunk(ref message);
        if (!assembly.IsComplete)
        {
            Send(new RaftMessage
            {
                To = message.From, Type = MessageType.SnapshotChunkResponse, Index = message.Index,
                SnapshotOffsetBytes = assembly.ReceivedBytes, SnapshotTotalBytes = assembly.TotalBytes,
            });
            return;
        }

        _incomingSnapshot = null;
        Snapshot snapshot = assembly.ToSnapshot();
        ulong answer = Restore(snapshot) ? Log.LastIndex() : Log.Committed;
        Send(new RaftMessage { To = message.From, Type = MessageType.AppendResponse, Index = answer });
    }

    private SnapshotAssembly AcceptChunk(ref RaftMessage message)
    {
        SnapshotAssembly? assembly = _incomingSnapshot;
        bool sameSnapshot = assembly is not null && assembly.Index == message.Index && assembly.Term == message.LogTerm &&
            assembly.TotalBytes == message.SnapshotTotalBytes;
        if (!sameSnapshot)
        {
            assembly = new SnapshotAssembly(message.Index, message.LogTerm, message.SnapshotConfState!, message.SnapshotTotalBytes);
            _incomingSnapshot = assembly;
        }

        assembly!.TryAccept(message.SnapshotOffsetBytes, message.SnapshotChunk.Span);
        return assembly;
    }

    /// <summary>Replaces the log with a snapshot; false when our log already covers it (then only commit moves).</summary>
    private bool Restore(Snapshot snapshot)
    {
        SnapshotMetadata metadata = snapshot.Metadata;
        if (metadata.Index <= Log.Committed)
        {
            return false;
        }

        if (Log.MatchTerm(metadata.Index, metadata.Term))
        {
            Log.CommitTo(metadata.Index);
            return false;
        }

        Log.Restore(snapshot);
        Tracker.SetConfig(ClusterConfig.FromConfState(metadata.ConfState), Log.LastIndex() + 1);
        IsLearner = Tracker.Config.IsLearner(Id);
        Invariant.Check(Log.LastIndex() == metadata.Index, "restored log ends at the snapshot");
        return true;
    }
}
