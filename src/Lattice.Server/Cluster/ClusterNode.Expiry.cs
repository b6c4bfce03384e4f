using System.Buffers;
using Lattice.Common;
using Lattice.Engine;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// Active expiry on a cluster: only the data group's leader samples keys with a TTL (as Redis does: 20 at a time,
/// again while more than a quarter had expired) and proposes a <c>lattice.expire</c> delete for each expired one.
/// Replicas never expire keys by their own clocks; reads hide expired keys until the delete is applied.
/// </summary>
public sealed partial class ClusterNode
{
    private const int ExpirySampleSize = 20;
    private const int ExpiryRoundsMax = 16;
    private readonly ArrayBufferWriter<byte> _expiryEntry = new(256);

    // Keys proposed this cycle (the table hands out its own key arrays, so identity is enough): sampling draws with
    // replacement, and a key stays in the table until its delete is applied.
    private readonly HashSet<byte[]> _expiryProposed = new(ReferenceEqualityComparer.Instance);
    private DeterministicRandom _expiryRandom = new(1);
    private long _nextExpiryMs;

    /// <summary>Expiry deletes this node proposed while leading (a key whose delete was slow to apply may count twice).</summary>
    public long ActiveExpiredKeys { get; private set; }

    private void MaybeExpireKeys()
    {
        long now = NowMs();
        RawNode raft = _data.Raft;
        if (now < _nextExpiryMs || raft.Role != RaftRole.Leader)
        {
            return;
        }

        _nextExpiryMs = now + (1000 / Math.Max(1, _server.Hz));
        Database database = _keyspace.Database;
        long clockMs = _keyspace.NowMs();
        _expiryProposed.Clear();
        _keyspace.Enter();
        try
        {
            for (int round = 0; round < ExpiryRoundsMax; round++)
            {
                int sampled = 0;
                int expired = 0;
                for (int i = 0; i < ExpirySampleSize; i++)
                {
                    byte[]? key = database.SampleExpiringKey(ref _expiryRandom);
                    if (key is null)
                    {
                        break;
                    }

                    sampled++;
                    long expireAt = database.GetExpireAt(key);
                    if (expireAt != 0 && expireAt <= clockMs)
                    {
                        expired++;
                        if (_expiryProposed.Add(key) && ProposeExpiry(raft, key))
                        {
                            ActiveExpiredKeys++;
                        }
                    }
                }

                if (sampled == 0 || expired * 4 <= sampled)
                {
                    break;
                }
            }
        }
        finally
        {
            _keyspace.Exit();
        }
    }

    private bool ProposeExpiry(RawNode raft, byte[] key)
    {
        _expiryEntry.ResetWrittenCount();
        Span<byte> header = _expiryEntry.GetSpan(ProposalEnvelope.HeaderBytes);
        // Session 0 waits for nothing: the apply's reply is dropped on every replica.
        ProposalEnvelope.WriteHeader(header, new ProposalOrigin(NodeId, Incarnation, 0, 0));
        _expiryEntry.Advance(ProposalEnvelope.HeaderBytes);
        ExpiryCommands.WriteExpireEntry(_expiryEntry, _keyspace.NextEntryTimeMs(), key);
        return raft.Propose(_data.Log.CopyPayload(_expiryEntry.WrittenSpan, raft.LastIndex + 1));
    }
}
