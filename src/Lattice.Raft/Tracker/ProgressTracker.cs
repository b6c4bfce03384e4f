using Lattice.Common;
using Lattice.Raft.Quorum;

namespace Lattice.Raft.Tracker;

/// <summary>
/// The leader's table of peers under the current <see cref="ClusterConfig"/>, plus the votes of an election.
/// Quorum questions (commit index, election result, read confirmation, lease) are answered by the pure
/// <see cref="JointConfig"/> math over views of this table.
/// </summary>
public sealed class ProgressTracker
{
    private readonly Dictionary<ulong, Progress> _progress = new();
    private readonly Dictionary<ulong, bool> _votes = new();
    private readonly int _maxInflightMessages;
    private readonly long _maxInflightBytes;
    private ulong[] _ids = [];

    public ProgressTracker(int maxInflightMessages, long maxInflightBytes)
    {
        _maxInflightMessages = maxInflightMessages;
        _maxInflightBytes = maxInflightBytes;
    }

    public ClusterConfig Config { get; private set; } = ClusterConfig.Empty;

    /// <summary>Member ids in ascending order, so messages go out in a deterministic order.</summary>
    public ReadOnlySpan<ulong> Ids => _ids;

    public bool TryGet(ulong id, out Progress progress) => _progress.TryGetValue(id, out progress!);

    public Progress Get(ulong id)
    {
        Invariant.Check(_progress.TryGetValue(id, out Progress? progress), "no progress for a member");
        return progress;
    }

    public bool IsSingleVoter(ulong id) =>
        !Config.Voters.IsJoint && Config.Voters.Incoming.Count == 1 && Config.Voters.Incoming.Contains(id);

    /// <summary>Installs a config, keeping progress of members that stay and adding fresh probes for new ones.</summary>
    public void SetConfig(ClusterConfig config, ulong nextIndex)
    {
        Config = config;
        _ids = config.AllIds();
        var keep = new HashSet<ulong>(_ids);
        var stale = new List<ulong>();
        foreach (ulong id in _progress.Keys)
        {
            if (!keep.Contains(id))
            {
                stale.Add(id);
            }
        }

        foreach (ulong id in stale)
        {
            _progress.Remove(id);
        }

        foreach (ulong id in _ids)
        {
            if (!_progress.TryGetValue(id, out Progress? progress))
            {
                progress = new Progress(nextIndex, _maxInflightMessages, _maxInflightBytes, false) { RecentActive = true };
                _progress.Add(id, progress);
            }

            progress.IsLearner = config.IsLearner(id);
        }

        Invariant.Check(_progress.Count == _ids.Length, "progress table out of step with the config");
    }

    public ulong Committed() => Config.Voters.CommittedIndex(new MatchIndexer(_progress));

    public ulong QuorumReadAckSequence() => Config.Voters.CommittedIndex(new ReadAckIndexer(_progress));

    public ulong QuorumLeaseContactTick() => Config.Voters.CommittedIndex(new LeaseIndexer(_progress));

    public void ResetVotes() => _votes.Clear();

    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public VoteResult TallyVotes() => Config.Voters.Vote(new VoteLookup(_votes));

    public int GrantedVoteCount()
    {
        int granted = 0;
        foreach (bool vote in _votes.Values)
        {
            granted += vote ? 1 : 0;
        }

        return granted;
    }

    /// <summary>True when a quorum of voters was heard from since the last check (self always counts).</summary>
    public bool QuorumActive(ulong self)
    {
        var active = new Dictionary<ulong, bool>();
        foreach (ulong id in _ids)
        {
            Progress progress = _progress[id];
            if (!progress.IsLearner)
            {
                active[id] = id == self || progress.RecentActive;
            }
        }

        return Config.Voters.Vote(new VoteLookup(active)) == VoteResult.Won;
    }

    private readonly struct MatchIndexer(Dictionary<ulong, Progress> progress) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index)
        {
            bool found = progress.TryGetValue(voterId, out Progress? p);
            index = found ? p!.Match : 0;
            return found;
        }
    }

    private readonly struct ReadAckIndexer(Dictionary<ulong, Progress> progress) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index)
        {
            bool found = progress.TryGetValue(voterId, out Progress? p);
            index = found ? p!.ReadAckSequence : 0;
            return found;
        }
    }

    private readonly struct LeaseIndexer(Dictionary<ulong, Progress> progress) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index)
        {
            bool found = progress.TryGetValue(voterId, out Progress? p);
            index = found ? p!.LeaseContactTick : 0;
            return found;
        }
    }

    private readonly struct VoteLookup(Dictionary<ulong, bool> votes) : IVoteLookup
    {
        public bool TryGetVote(ulong voterId, out bool granted) => votes.TryGetValue(voterId, out granted);
    }
}
