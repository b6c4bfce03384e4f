namespace Lattice.Raft;

/// <summary>
/// One Raft message. A struct so the steady-state path allocates nothing; <see cref="Entries"/> and
/// <see cref="SnapshotChunk"/> are slices that stay valid only until the next <see cref="RawNode.GetReady"/>,
/// so a transport that queues a message must serialize or copy it first.
/// </summary>
public struct RaftMessage
{
    /// <summary>Context value marking a vote request that comes from a leadership transfer.</summary>
    public const ulong CampaignTransferContext = 1;

    public ulong GroupId;
    public MessageType Type;
    public ulong From;
    public ulong To;
    public ulong Term;

    /// <summary>Append: term of the entry before <see cref="Entries"/>; vote: candidate's last term; reject: hint term.</summary>
    public ulong LogTerm;

    /// <summary>Append: index before <see cref="Entries"/>; vote: candidate's last index; response: matched index.</summary>
    public ulong Index;
    public ulong Commit;
    public bool Reject;

    /// <summary>On a rejected append: the follower's guess of the last index that could match.</summary>
    public ulong RejectHint;

    /// <summary>Heartbeats: read round sequence; reads: request id; votes: campaign kind.</summary>
    public ulong Context;

    /// <summary>Heartbeats carry the leader's tick at send time and responses echo it, so leases start at the send.</summary>
    public long SentTick;
    public ReadOnlyMemory<Entry> Entries;

    // InstallSnapshot in chunks: Index/LogTerm hold the snapshot's index and term.
    public ConfState? SnapshotConfState;
    public long SnapshotOffsetBytes;
    public long SnapshotTotalBytes;
    public ReadOnlyMemory<byte> SnapshotChunk;

    public override readonly string ToString()
    {
        string text = $"{Type} {From}->{To} t{Term} i{Index} lt{LogTerm} c{Commit}";
        if (Reject)
        {
            text += $" reject hint={RejectHint}";
        }

        if (Entries.Length > 0)
        {
            text += $" n={Entries.Length}";
        }

        if (Type == MessageType.SnapshotChunk || Type == MessageType.SnapshotChunkResponse)
        {
            text += $" off={SnapshotOffsetBytes}/{SnapshotTotalBytes}";
        }

        return Context != 0 ? text + $" ctx={Context}" : text;
    }
}
