using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>
/// Fault injection for tests and chaos runs. Everything here acts at this node only: a partition drops frames this
/// node would send to the peer and frames it receives from the peer; drops apply to sends; the delay holds back
/// this node's outgoing writes. To cut a link on both sides, partition it on both nodes.
/// </summary>
public sealed class PeerFaults
{
    private readonly Lock _gate = new();
    private DeterministicRandom _random;
    private ulong[] _partitioned = [];
    private double _dropProbability;
    private long _delayTicks;

    internal PeerFaults(ulong seed) => _random = new DeterministicRandom(seed);

    /// <summary>Chance in [0, 1] that an outgoing frame is dropped, drawn from the seeded generator.</summary>
    public double DropProbability
    {
        get => Volatile.Read(ref _dropProbability);
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), "drop probability must be within [0, 1]");
            }

            Volatile.Write(ref _dropProbability, value);
        }
    }

    /// <summary>Outgoing writes wait until the oldest queued frame is this old (at most one minute).</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _delayTicks));
        set
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromMinutes(1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), "delay must be within [0, 1 minute]");
            }

            Volatile.Write(ref _delayTicks, value.Ticks);
        }
    }

    public void Partition(ulong peer)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_partitioned, peer) < 0)
            {
                ulong[] next = new ulong[_partitioned.Length + 1];
                _partitioned.CopyTo(next, 0);
                next[^1] = peer;
                Volatile.Write(ref _partitioned, next);
            }
        }
    }

    public void Heal(ulong peer)
    {
        lock (_gate)
        {
            int at = Array.IndexOf(_partitioned, peer);
            if (at >= 0)
            {
                ulong[] next = new ulong[_partitioned.Length - 1];
                Array.Copy(_partitioned, 0, next, 0, at);
                Array.Copy(_partitioned, at + 1, next, at, next.Length - at);
                Volatile.Write(ref _partitioned, next);
            }
        }
    }

    public void HealAll()
    {
        lock (_gate)
        {
            Volatile.Write(ref _partitioned, []);
        }
    }

    /// <summary>The peers partitioned from this node right now.</summary>
    public IReadOnlyList<ulong> Partitioned => Volatile.Read(ref _partitioned);

    public bool IsPartitioned(ulong peer) => Array.IndexOf(Volatile.Read(ref _partitioned), peer) >= 0;

    /// <summary>Whether a frame to <paramref name="peer"/> should be dropped now (partition or random drop).</summary>
    internal bool ShouldDropOutgoing(ulong peer)
    {
        if (IsPartitioned(peer))
        {
            return true;
        }

        double probability = DropProbability;
        if (probability <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < probability;
        }
    }
}
