using Lattice.Raft.Tracker;

namespace Lattice.Raft.Tests.Tracker;

public sealed class InflightsTests
{
    [Fact]
    public void Window_fills_by_count_and_frees_up_to_the_acknowledged_index()
    {
        var inflights = new Inflights(maxCount: 3, maxBytes: 0);
        inflights.Add(5, 10);
        inflights.Add(7, 10);
        inflights.Add(9, 10);
        Assert.True(inflights.IsFull);

        inflights.FreeLessOrEqual(7);
        Assert.Equal(1, inflights.Count);
        Assert.Equal(10, inflights.Bytes);
        Assert.False(inflights.IsFull);

        // The ring wraps around without losing order.
        inflights.Add(11, 10);
        inflights.Add(12, 10);
        Assert.True(inflights.IsFull);
        inflights.FreeFirstOne();
        Assert.Equal(2, inflights.Count);
        inflights.FreeLessOrEqual(100);
        Assert.Equal(0, inflights.Count);
    }

    [Fact]
    public void Window_fills_by_bytes_before_count()
    {
        var inflights = new Inflights(maxCount: 100, maxBytes: 1000);
        inflights.Add(1, 600);
        Assert.False(inflights.IsFull);
        inflights.Add(2, 600);
        Assert.True(inflights.IsFull);
        inflights.FreeLessOrEqual(1);
        Assert.False(inflights.IsFull);
    }

    [Fact]
    public void Progress_probe_pauses_after_one_append_and_replicate_pipelines()
    {
        var progress = new Progress(next: 5, maxInflightMessages: 2, maxInflightBytes: 0, isLearner: false);
        Assert.Equal(ProgressState.Probe, progress.State);
        progress.ProbeSent = true;
        Assert.True(progress.IsPaused);

        Assert.True(progress.MaybeUpdate(4));
        progress.BecomeReplicate();
        Assert.Equal(5ul, progress.Next);
        progress.OptimisticUpdate(8);
        progress.Inflights.Add(8, 100);
        progress.OptimisticUpdate(10);
        progress.Inflights.Add(10, 100);
        Assert.True(progress.IsPaused);
        Assert.Equal(11ul, progress.Next);

        // A rejection in replicate falls back to just after the known match.
        Assert.True(progress.MaybeDecreaseTo(10, 6));
        Assert.Equal(5ul, progress.Next);
    }

    [Fact]
    public void Stale_rejections_are_ignored()
    {
        var progress = new Progress(next: 10, maxInflightMessages: 4, maxInflightBytes: 0, isLearner: false);
        // In probe, only a rejection of the append we actually sent (at Next-1) counts.
        Assert.False(progress.MaybeDecreaseTo(5, 3));
        Assert.True(progress.MaybeDecreaseTo(9, 3));
        Assert.Equal(4ul, progress.Next);
    }
}
