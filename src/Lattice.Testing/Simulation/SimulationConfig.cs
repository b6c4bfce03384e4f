using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// Everything one run does, derived from its seed: cluster size, fault rates, timings. Times are in virtual
/// milliseconds; a Raft tick is about <see cref="TickIntervalUnits"/> of them, varied per node by clock rate.
/// </summary>
internal sealed record SimulationConfig
{
    public const int TickIntervalUnits = 10;

    public ulong Seed { get; init; }

    public int NodeCount { get; init; } = 3;

    public int InitialVoterCount { get; init; } = 3;

    internal PlantedBug Bug { get; init; }

    public double DropRate { get; init; }

    public double DuplicateRate { get; init; }

    public int MinDelayUnits { get; init; } = 1;

    public int MaxDelayUnits { get; init; } = 10;

    /// <summary>Chance that a message is held back much longer than usual, to reorder it.</summary>
    public double LongDelayRate { get; init; }

    public int MinSyncUnits { get; init; } = 1;

    public int MaxSyncUnits { get; init; } = 4;

    public int MinTickIntervalUnits { get; init; } = 8;

    public int MaxTickIntervalUnits { get; init; } = 12;

    public long SafetyPhaseUnits { get; init; } = 2500;

    public long LivenessBoundUnits { get; init; } = 3000;

    public double CrashRate { get; init; }

    public double PartitionRate { get; init; }

    public double MembershipRate { get; init; }

    public double TransferRate { get; init; }

    public double ClientRate { get; init; } = 0.3;

    public int ClientCount { get; init; } = 3;

    public int KeyCount { get; init; } = 3;

    public long ClientTimeoutUnits { get; init; } = 400;

    public int SnapshotEveryEntries { get; init; } = 40;

    public int MaxBytesPerMessage { get; init; } = 4096;

    public int MaxInflightMessages { get; init; } = 8;

    public int SnapshotChunkBytes { get; init; } = 64;

    public bool LeaseReads { get; init; }

    public bool CheckQuorum { get; init; } = true;

    /// <summary>Events kept for the failure report.</summary>
    public int TraceCapacity { get; init; } = SimulationTrace.DefaultCapacity;

    public bool PreVote { get; init; } = true;

    public static SimulationConfig FromSeed(ulong seed, int nodeCount, PlantedBug bug = PlantedBug.None)
    {
        Invariant.Check(nodeCount is 3 or 5 or 7, "clusters have 3, 5 or 7 nodes");
        var random = new DeterministicRandom(seed ^ 0x5EED5EED5EEDUL);
        bool checkQuorum = random.NextInt(3) != 0;
        bool preVote = random.NextInt(4) != 0;
        bool lease = checkQuorum && bug == PlantedBug.None && random.NextInt(3) == 0;
        int voters = nodeCount == 3 ? 3 : nodeCount - random.NextInt(2);
        return new SimulationConfig
        {
            Seed = seed,
            NodeCount = nodeCount,
            InitialVoterCount = voters,
            Bug = bug,
            DropRate = random.NextInt(3) == 0 ? 0 : random.NextDouble() * 0.15,
            DuplicateRate = random.NextDouble() * 0.05,
            MinDelayUnits = 1,
            MaxDelayUnits = 2 + random.NextInt(15),
            LongDelayRate = random.NextDouble() * 0.03,
            MaxSyncUnits = 1 + random.NextInt(random.NextInt(2) == 0 ? 6 : 30),
            // Lease reads are only safe within the clock drift bound, so those runs drift less. Without PreVote,
            // liveness needs the randomized timeout window [T, 2T) to dominate clock skew (a stale node with a
            // much faster clock can otherwise out-campaign every better candidate), so those runs drift ±20%.
            MinTickIntervalUnits = lease ? 9 : preVote ? 7 : 8,
            MaxTickIntervalUnits = lease ? 11 : preVote ? 13 : 12,
            CrashRate = 0.002 + random.NextDouble() * 0.01,
            PartitionRate = 0.002 + random.NextDouble() * 0.01,
            MembershipRate = random.NextDouble() * 0.01,
            TransferRate = random.NextDouble() * 0.006,
            ClientRate = 0.15 + random.NextDouble() * 0.35,
            SnapshotEveryEntries = 10 + random.NextInt(60),
            MaxBytesPerMessage = random.NextInt(3) == 0 ? 1 : 256 + random.NextInt(4096),
            MaxInflightMessages = 1 + random.NextInt(16),
            SnapshotChunkBytes = 16 + random.NextInt(256),
            LeaseReads = lease,
            CheckQuorum = checkQuorum,
            PreVote = preVote,
        };
    }

    public RaftOptions RaftOptionsFor(ulong nodeId, ulong applied, int incarnation) => new()
    {
        NodeId = nodeId,
        GroupId = 7,
        ElectionTimeoutTicks = 10,
        HeartbeatTimeoutTicks = 1,
        MaxBytesPerMessage = MaxBytesPerMessage,
        MaxInflightMessages = MaxInflightMessages,
        MaxUncommittedEntriesBytes = 64 * 1024,
        SnapshotChunkBytes = SnapshotChunkBytes,
        ReadOnlyMode = LeaseReads ? ReadOnlyMode.LeaseBased : ReadOnlyMode.Safe,
        CheckQuorum = CheckQuorum,
        PreVote = PreVote,
        MaxClockDriftTicks = 3,
        Applied = applied,
        RandomSeed = (Seed * 31) + (nodeId * 1009) + (ulong)incarnation,
        PlantedBugForTestingOnly = Bug,
    };
}
