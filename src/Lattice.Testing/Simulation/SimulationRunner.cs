using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>
/// Runs many seeds. Each seed is one single-threaded deterministic simulation; seeds run in parallel on all cores.
/// Seed i of a batch uses node count 3, 5 or 7 in turn unless one is fixed.
/// </summary>
internal static class SimulationRunner
{
    public static int NodeCountFor(ulong seed, int fixedNodeCount) =>
        fixedNodeCount != 0 ? fixedNodeCount : (int)(seed % 3) * 2 + 3;

    public static SimulationResult RunSeed(ulong seed, int fixedNodeCount, PlantedBug bug = PlantedBug.None, int traceCapacity = SimulationTrace.DefaultCapacity) =>
        Simulation.Run(SimulationConfig.FromSeed(seed, NodeCountFor(seed, fixedNodeCount), bug) with { TraceCapacity = traceCapacity });

    /// <summary>Runs seeds [firstSeed, firstSeed + count) (count ≤ 0: until cancelled), reporting each failure.</summary>
    public static (long Seeds, long Violations) RunMany(
        ulong firstSeed, long count, int fixedNodeCount, PlantedBug bug, Action<SimulationResult> onViolation,
        CancellationToken cancellationToken, bool reportEvery = false, int traceCapacity = SimulationTrace.DefaultCapacity,
        int maxViolationsReported = 3)
    {
        Invariant.Check(fixedNodeCount is 0 or 3 or 5 or 7, "node count is 3, 5 or 7");
        long next = -1;
        long seeds = 0;
        long violations = 0;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        int workers = Math.Max(1, Environment.ProcessorCount);
        Parallel.For(0, workers, options, _ =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long index = Interlocked.Increment(ref next);
                if (count > 0 && index >= count)
                {
                    return;
                }

                SimulationResult result = RunSeed(firstSeed + (ulong)index, fixedNodeCount, bug, traceCapacity);
                Interlocked.Increment(ref seeds);
                if (reportEvery && result.Passed)
                {
                    lock (gate)
                    {
                        onViolation(result);
                    }
                }

                if (!result.Passed)
                {
                    long seen = Interlocked.Increment(ref violations);
                    if (seen <= maxViolationsReported || reportEvery)
                    {
                        lock (gate)
                        {
                            onViolation(result);
                        }
                    }
                }
            }
        });
        return (seeds, violations);
    }
}
