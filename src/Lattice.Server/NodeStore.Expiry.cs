using Lattice.Common;
using Lattice.Engine;

namespace Lattice.Server;

/// <summary>
/// Active expiry, as Redis does it: sample keys that have a TTL, delete the expired ones, and go on while more than
/// a quarter of a sample had expired. Each delete is a logged <c>lattice.expire</c> entry, so a replay removes
/// exactly what the live node removed, at the same log position.
/// </summary>
public sealed partial class NodeStore
{
    private const int ExpirySampleSize = 20;
    private const int ExpiryRoundsMax = 16;
    private DeterministicRandom _expiryRandom;
    private long _activeExpiredKeys;

    /// <summary>Keys removed by active expiry since start.</summary>
    public long ActiveExpiredKeys => Volatile.Read(ref _activeExpiredKeys);

    /// <summary>One active-expiry cycle; returns how many keys it deleted.</summary>
    public int ExpireSampledKeys()
    {
        int deleted = 0;
        lock (_engineLock)
        {
            long now = NowMs();
            for (int round = 0; round < ExpiryRoundsMax; round++)
            {
                int sampled = 0;
                int expired = 0;
                for (int i = 0; i < ExpirySampleSize; i++)
                {
                    byte[]? key = _machine.Database.SampleExpiringKey(ref _expiryRandom);
                    if (key is null)
                    {
                        break;
                    }

                    sampled++;
                    long expireAt = _machine.Database.GetExpireAt(key);
                    if (expireAt != 0 && expireAt <= now)
                    {
                        ProposeExpiryDelete(key);
                        expired++;
                    }
                }

                deleted += expired;
                if (sampled == 0 || expired * 4 <= sampled)
                {
                    break;
                }
            }
        }

        if (deleted > 0)
        {
            Interlocked.Add(ref _activeExpiredKeys, deleted);
            RequestFlush();
        }

        return deleted;
    }

    private void ProposeExpiryDelete(byte[] key)
    {
        _entry.ResetWrittenCount();
        ExpiryCommands.WriteExpireEntry(_entry, NextEntryTimeMs(), key);
        Propose(_internalContext, _entry.WrittenSpan);
        _discardedReplies.ResetWrittenCount();
    }
}
