namespace Lattice.Raft;

public enum MessageType : byte
{
    // Local messages: never sent over the wire, created by the API and by ticks.
    Hup = 0,
    Beat = 1,
    Propose = 2,
    CheckQuorum = 3,

    // Wire messages.
    Append = 10,
    AppendResponse = 11,
    Vote = 12,
    VoteResponse = 13,
    PreVote = 14,
    PreVoteResponse = 15,
    Heartbeat = 16,
    HeartbeatResponse = 17,
    SnapshotChunk = 18,
    SnapshotChunkResponse = 19,
    TransferLeader = 20,
    TimeoutNow = 21,
    ReadIndex = 22,
    ReadIndexResponse = 23,
}
