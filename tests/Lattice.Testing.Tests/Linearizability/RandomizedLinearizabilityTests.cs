using Lattice.Common;
using Lattice.Testing.History;
using Lattice.Testing.Linearizability;

namespace Lattice.Testing.Tests.Linearizability;

/// <summary>
/// Histories from real sequential executions must pass; the same histories with one read made
/// impossible must fail. Fixed seeds, so any failure replays.
/// </summary>
public sealed class RandomizedLinearizabilityTests
{
    private const int SeedCount = 200;

    [Fact]
    public void Histories_from_sequential_executions_are_accepted()
    {
        for (ulong seed = 1; seed <= SeedCount; seed++)
        {
            List<HistoryOperation> history = RandomRegisterHistory.Generate(seed, operationCount: 120, keyCount: 3, spreadTicks: 40);
            LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history);
            Assert.True(result.IsLinearizable, $"seed {seed}: {result.Explanation}");
        }
    }

    [Fact]
    public void Read_of_a_value_written_only_after_the_read_completed_is_rejected()
    {
        int mutated = 0;
        for (ulong seed = 1; seed <= SeedCount; seed++)
        {
            List<HistoryOperation> history = RandomRegisterHistory.Generate(seed, operationCount: 120, keyCount: 3, spreadTicks: 40);
            var random = new DeterministicRandom(seed ^ 0xABCDEF);
            if (!TryReadFromTheFuture(history, ref random, out string key))
            {
                continue;
            }

            mutated++;
            LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history);
            Assert.False(result.IsLinearizable, $"seed {seed}: mutated history accepted");
            Assert.False(result.IsUnknown, $"seed {seed}: {result.Explanation}");
            Assert.Equal(key, result.FailingKey);
        }

        Assert.True(mutated > SeedCount / 2, $"only {mutated} histories could be mutated");
    }

    [Fact]
    public void Read_of_a_value_never_written_is_rejected_in_every_random_history()
    {
        for (ulong seed = 1; seed <= SeedCount; seed++)
        {
            List<HistoryOperation> history = RandomRegisterHistory.Generate(seed, operationCount: 120, keyCount: 3, spreadTicks: 40);
            var random = new DeterministicRandom(seed);
            List<int> reads = OkReads(history);
            int index = reads[random.NextInt(reads.Count)];
            history[index] = history[index] with { Value = "never-written" };
            LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history);
            Assert.False(result.IsLinearizable, $"seed {seed}: mutated history accepted");
            Assert.Equal(history[index].Key, result.FailingKey);
        }
    }

    [Fact]
    public void Five_hundred_operations_on_one_key_check_within_the_default_budget()
    {
        List<HistoryOperation> history = RandomRegisterHistory.Generate(seed: 42, operationCount: 500, keyCount: 1, spreadTicks: 50);
        LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history);
        Assert.True(result.IsLinearizable, result.Explanation);
        Assert.False(result.IsUnknown);
        Assert.True(result.StepsTaken < LinearizabilityOptions.Default.MaxStatesExploredPerKey / 10, $"{result.StepsTaken} steps");
    }

    /// <summary>
    /// Picks an Ok read and a write or CAS on the same key that was invoked after the read completed,
    /// and makes the read return that value. Values are unique, so no order can explain it.
    /// </summary>
    private static bool TryReadFromTheFuture(List<HistoryOperation> history, ref DeterministicRandom random, out string key)
    {
        List<int> reads = OkReads(history);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            HistoryOperation read = history[reads[random.NextInt(reads.Count)]];
            HistoryOperation? future = history.Find(op =>
                op.Key == read.Key && op.Kind != OperationKind.Read && op.Outcome != OperationOutcome.Fail && op.InvokeTime > read.CompleteTime);
            if (future is not null)
            {
                history[history.IndexOf(read)] = read with { Value = future.Value };
                key = read.Key;
                return true;
            }
        }

        key = string.Empty;
        return false;
    }

    private static List<int> OkReads(List<HistoryOperation> history) =>
        Enumerable.Range(0, history.Count)
            .Where(i => history[i].Kind == OperationKind.Read && history[i].Outcome == OperationOutcome.Ok)
            .ToList();
}
