using Lattice.Common;
using Lattice.Raft;
using Lattice.Raft.Quorum;

namespace Lattice.Testing.Simulation;

/// <summary>
/// Raft's safety properties (Figure 3 of the paper), checked from outside the nodes after every step:
/// election safety, log matching, leader completeness, state machine safety, committed entries surviving
/// crashes, and learners never voting or counting. The first violation is kept.
/// </summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, ulong> _leaderByTerm = new();
    private readonly Dictionary<(ulong Index, ulong Term), (int Hash, ulong PreviousTerm)> _entries = new();
    private readonly List<ulong> _committedTerms = [0];

    // The lowest term in which some node knew the index was committed: an upper bound of the term it was committed in.
    private readonly List<ulong> _committedByTerm = [0];
    private readonly List<(ulong Term, int Hash)> _applied = [(0, 0)];
    private readonly Dictionary<(ulong Term, ulong Candidate), HashSet<ulong>> _grants = new();
    private readonly Dictionary<ulong, ulong> _commitChecked = new();

    public string? Violation { get; private set; }

    public ulong CommittedIndex => (ulong)_committedTerms.Count - 1;

    public long CheckCount { get; private set; }

    private void Fail(string message) => Violation ??= message;

    public static int EntryHash(in Entry entry) => StableHash.Hash(entry.Data.Span, (ulong)entry.Type + 1);

    /// <summary>Entries a node is about to write: committed ones must not change; same (index, term) means same log.</summary>
    public void OnEntriesWritten(ulong node, RawNode raft, ReadOnlySpan<Entry> entries)
    {
        CheckCount++;
        ulong previousTerm = 0;
        bool previousKnown = entries.Length > 0 && raft.TryGetTerm(entries[0].Index - 1, out previousTerm);
        foreach (ref readonly Entry entry in entries)
        {
            // A stale leader may append at indexes committed elsewhere; no node may rewrite what it knows is committed.
            if (entry.Index <= raft.CommitIndex && entry.Index <= CommittedIndex && _committedTerms[(int)entry.Index] is ulong committed &&
                committed != 0 && committed != entry.Term)
            {
                Fail($"committed entry overwritten: node {node} writes index {entry.Index} term {entry.Term}, committed term {committed}");
            }

            int hash = EntryHash(entry);
            if (_entries.TryGetValue((entry.Index, entry.Term), out var seen))
            {
                bool previousDiffers = previousKnown && seen.PreviousTerm != ulong.MaxValue && seen.PreviousTerm != previousTerm;
                if (seen.Hash != hash || previousDiffers)
                {
                    Fail($"log matching: node {node} has a different entry at index {entry.Index} term {entry.Term}");
                }
            }
            else
            {
                _entries[(entry.Index, entry.Term)] = (hash, previousKnown ? previousTerm : ulong.MaxValue);
            }

            previousTerm = entry.Term;
            previousKnown = true;
        }
    }

    /// <summary>A node reports a commit index: record the committed terms it implies, and compare.</summary>
    public void OnCommit(ulong node, RawNode raft, ulong commitIndex)
    {
        ulong start = _commitChecked.TryGetValue(node, out ulong done) ? done + 1 : 1;
        _commitChecked[node] = Math.Max(done, commitIndex);
        for (ulong index = start; index <= commitIndex; index++)
        {
            if (!raft.TryGetTerm(index, out ulong term))
            {
                continue;
            }

            if (index < (ulong)_committedTerms.Count)
            {
                ulong known = _committedTerms[(int)index];
                _committedByTerm[(int)index] = Math.Min(_committedByTerm[(int)index], raft.Term);
                if (known == 0)
                {
                    _committedTerms[(int)index] = term;
                }
                else if (known != term)
                {
                    Fail($"node {node} committed term {term} at index {index}, but term {known} was committed there");
                }

                continue;
            }

            while ((ulong)_committedTerms.Count < index)
            {
                _committedTerms.Add(0);
                _committedByTerm.Add(ulong.MaxValue);
            }

            _committedTerms.Add(term);
            _committedByTerm.Add(raft.Term);
        }
    }

    public void OnApply(ulong node, in Entry entry)
    {
        int hash = EntryHash(entry);
        while ((ulong)_applied.Count <= entry.Index)
        {
            _applied.Add((0, 0));
        }

        (ulong term, int knownHash) = _applied[(int)entry.Index];
        if (term == 0)
        {
            _applied[(int)entry.Index] = (entry.Term, hash);
        }
        else if (term != entry.Term || knownHash != hash)
        {
            Fail($"state machine safety: node {node} applied term {entry.Term} at index {entry.Index}, another node applied term {term}");
        }
    }

    /// <summary>Election safety, leader completeness and the voter quorum behind a new leader.</summary>
    public void OnLeader(ulong node, RawNode raft)
    {
        ulong term = raft.Term;
        if (_leaderByTerm.TryGetValue(term, out ulong other) && other != node)
        {
            Fail($"election safety: nodes {other} and {node} both lead term {term}");
            return;
        }

        _leaderByTerm[term] = node;
        // Leader completeness (§5.4): entries committed in an earlier term are in the log of every later leader.
        // A stale leader of an older term need not hold what a newer term committed.
        ulong committed = CommittedIndex;
        while (committed > 0 && (_committedByTerm[(int)committed] >= term || _committedTerms[(int)committed] == 0))
        {
            committed--;
        }

        if (committed > 0)
        {
            if (raft.LastIndex < committed ||
                (raft.TryGetTerm(committed, out ulong found) && found != _committedTerms[(int)committed]))
            {
                Fail($"leader completeness: leader {node} of term {term} lacks committed index {committed}");
            }
        }

        CheckVoteQuorum(node, term, raft.ConfState);
    }

    private void CheckVoteQuorum(ulong node, ulong term, ConfState conf)
    {
        var granted = _grants.TryGetValue((term, node), out HashSet<ulong>? set) ? set : new HashSet<ulong>();
        granted.Add(node);
        var voters = new JointConfig(new MajorityConfig(conf.Voters), new MajorityConfig(conf.VotersOutgoing));
        if (voters.Vote(new GrantLookup(granted)) != VoteResult.Won)
        {
            Fail($"leader {node} of term {term} has no quorum of voter grants ({string.Join(',', granted)}) in {conf}");
        }
    }

    /// <summary>A follower follows only the node that won its own term (election safety as followers see it).</summary>
    public void OnFollower(ulong node, ulong term, ulong leader)
    {
        if (!_leaderByTerm.TryGetValue(term, out ulong elected) || elected != leader)
        {
            Fail($"node {node} follows {leader} in term {term}, but the leader of term {term} is {(elected == 0 ? "unknown" : elected)}");
        }
    }

    /// <summary>
    /// Figure 2's commit rule, observed from outside: a leader moves its commit index only onto an entry of its
    /// own term (§5.4.2); earlier entries are committed indirectly.
    /// </summary>
    public void OnLeaderCommit(ulong node, RawNode raft, ulong previousCommit, ulong commit)
    {
        if (commit > previousCommit && raft.TryGetTerm(commit, out ulong term) && term != raft.Term)
        {
            Fail($"leader {node} of term {raft.Term} advanced its commit index to {commit}, an entry of term {term}");
        }
    }

    /// <summary>Every message a node sends: candidates ask only voters of their config, and grants are recorded.</summary>
    public void OnSend(ulong node, RawNode raft, in RaftMessage message)
    {
        if (message.Type is MessageType.Vote or MessageType.PreVote)
        {
            ConfState conf = raft.ConfState;
            if (!conf.IsVoter(message.To))
            {
                Fail($"node {node} asked non-voter {message.To} for a {message.Type} in term {message.Term} ({conf})");
            }

            return;
        }

        if (message.Reject)
        {
            return;
        }

        if (message.Type == MessageType.VoteResponse)
        {
            if (!_grants.TryGetValue((message.Term, message.To), out HashSet<ulong>? set))
            {
                set = new HashSet<ulong>();
                _grants[(message.Term, message.To)] = set;
            }

            set.Add(node);
        }
    }

    /// <summary>After a restart: what the disk kept must agree with everything known committed.</summary>
    public void OnRestart(ulong node, MemoryRaftStorage durable)
    {
        _commitChecked.Remove(node);
        // Beyond its own durable commit index a node may hold stale entries that a leader will overwrite.
        ulong last = Math.Min(Math.Min(durable.LastIndex(), CommittedIndex), durable.HardState.Commit);
        for (ulong index = durable.FirstIndex(); index <= last; index++)
        {
            ulong known = _committedTerms[(int)index];
            if (known != 0 && durable.TryGetTerm(index, out ulong term) && term != known)
            {
                Fail($"node {node} restarted with term {term} at committed index {index} (committed term {known})");
            }
        }

        Invariant.Check(durable.HardState.Commit <= durable.LastIndex() || durable.HardState.Commit <= durable.FirstIndex() - 1,
            "a durable commit index must point into the durable log");
    }

    private readonly struct GrantLookup(HashSet<ulong> granted) : IVoteLookup
    {
        public bool TryGetVote(ulong voterId, out bool yes)
        {
            yes = granted.Contains(voterId);
            return yes;
        }
    }
}
