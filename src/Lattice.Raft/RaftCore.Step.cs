using Lattice.Common;

namespace Lattice.Raft;

internal sealed partial class RaftCore
{
    private long _quietUntilTick;

    /// <summary>Handles one message: first the term rules common to every role (§5.1), then the role's own rules.</summary>
    public void Step(ref RaftMessage message)
    {
        Invariant.Check(message.GroupId == _options.GroupId, "message for another group");
        if (message.Term > Term && !StepHigherTerm(ref message))
        {
            return;
        }

        if (message.Term != 0 && message.Term < Term && !StepLowerTerm(ref message))
        {
            return;
        }

        switch (message.Type)
        {
            case MessageType.Hup:
                Hup(message.Context == RaftMessage.CampaignTransferContext);
                return;
            case MessageType.Vote:
            case MessageType.PreVote:
                StepVoteRequest(ref message);
                return;
            case MessageType.VoteResponse:
            case MessageType.PreVoteResponse:
                LearnCommitFromVoteResponse(ref message);
                break;
        }

        switch (Role)
        {
            case RaftRole.Leader:
                StepLeader(ref message);
                break;
            case RaftRole.Candidate:
            case RaftRole.PreCandidate:
                StepCandidate(ref message);
                break;
            default:
                StepFollower(ref message);
                break;
        }
    }

    /// <summary>Returns false when the message must be dropped.</summary>
    private bool StepHigherTerm(ref RaftMessage message)
    {
        bool isVoteRequest = message.Type is MessageType.Vote or MessageType.PreVote;
        if (isVoteRequest)
        {
            bool force = message.Context == RaftMessage.CampaignTransferContext;
            // CheckQuorum leases: a follower that heard from a live leader recently ignores candidates (§6 of the thesis,
            // "disruptive servers"), which is also what makes leader leases sound.
            bool inLease = _options.CheckQuorum && Leader != 0 && _electionElapsedTicks < _options.ElectionTimeoutTicks;
            bool quiet = TickCount < _quietUntilTick;
            if (!force && (inLease || quiet))
            {
                return false;
            }
        }

        if (message.Type == MessageType.PreVote || (message.Type == MessageType.PreVoteResponse && !message.Reject))
        {
            // A pre-vote never changes terms; a granted pre-vote answer carries the term we would campaign in.
            return true;
        }

        bool fromLeader = message.Type is MessageType.Append or MessageType.Heartbeat or MessageType.SnapshotChunk;
        int electionElapsedTicks = _electionElapsedTicks;
        BecomeFollower(message.Term, fromLeader ? message.From : 0);
        if (isVoteRequest)
        {
            // Adopt the term but keep the election timer (§5.2: only a leader's append or a granted vote resets it);
            // otherwise a candidate with a stale log and a fast clock could hold back every better candidate forever.
            _electionElapsedTicks = electionElapsedTicks;
        }

        return true;
    }

    /// <summary>Stale-term messages: answer just enough to let an old leader or pre-candidate learn the new term.</summary>
    private bool StepLowerTerm(ref RaftMessage message)
    {
        bool fromOldLeader = message.Type is MessageType.Append or MessageType.Heartbeat;
        if (Bug == PlantedBug.AcceptStaleTermAppend && message.Type == MessageType.Append && Role == RaftRole.Follower)
        {
            return true;
        }

        // Always answer an old leader (§5.1: "If a server receives a request with a stale term number, it rejects
        // the request"): after membership changes, the nodes with the newer term may not be among those a
        // candidate asks, so votes alone would not tell the old leader to step down.
        if (fromOldLeader)
        {
            Send(new RaftMessage { To = message.From, Type = MessageType.AppendResponse });
        }
        else if (message.Type is MessageType.PreVote or MessageType.Vote)
        {
            // Refuse with our term (§5.1): a candidate whose config no longer includes us would otherwise never
            // learn the newer term, and two halves of a changing membership could campaign past each other forever.
            RejectVote(ref message);
        }

        return false;
    }

    private void StepVoteRequest(ref RaftMessage message)
    {
        bool preVote = message.Type == MessageType.PreVote;
        bool canVote = Vote == message.From || (Vote == 0 && Leader == 0) || (preVote && message.Term > Term);
        bool upToDate = Bug == PlantedBug.VoteWithoutLogCheck || Log.IsUpToDate(message.Index, message.LogTerm);
        // Any node answers: one that is a learner here may already be a voter in the candidate's newer config.
        // Candidates ask and count only the voters of their own config, so a learner's answer never counts.
        MessageType responseType = preVote ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        if (canVote && upToDate && message.From != Id)
        {
            // The answer to a pre-vote carries the candidate's future term so it is not dropped as stale.
            Send(new RaftMessage { To = message.From, Type = responseType, Term = message.Term });
            if (!preVote)
            {
                _electionElapsedTicks = 0;
                Vote = message.From;
            }

            return;
        }

        RejectVote(ref message);
    }

    /// <summary>
    /// A rejection carries what we know is committed: a candidate holding that same entry may commit it too.
    /// This frees a candidate that still waits in a joint config for the vote of a node that has already
    /// applied its own removal (and, with a longer log, would refuse it forever).
    /// </summary>
    private void RejectVote(ref RaftMessage message)
    {
        MessageType responseType = message.Type == MessageType.PreVote ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        Send(new RaftMessage
        {
            To = message.From, Type = responseType, Reject = true, Commit = Log.Committed, LogTerm = Log.TermOrZero(Log.Committed),
        });
    }

    /// <summary>
    /// Commit knowledge from a vote answer. Sound because commitment is a property of the entry: if (index, term)
    /// is committed anywhere and our log holds the same (index, term), log matching makes our prefix committed.
    /// </summary>
    private void LearnCommitFromVoteResponse(ref RaftMessage message)
    {
        // A leader commits only by counting (the §5.4.2 rule); others may learn.
        if (Role != RaftRole.Leader && message.Commit > Log.Committed && message.LogTerm != 0 &&
            Log.MatchTerm(message.Commit, message.LogTerm))
        {
            Log.CommitTo(message.Commit);
        }
    }
}
