using Lattice.Engine;
using Lattice.Resp;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// Waits are finished and woken from more than one thread: the thread running a Raft cycle (applies) and a peer's
/// receive thread (a leader's refusal of forwarded writes). Every finished wait must be woken exactly once, whoever
/// releases it and whenever. (A double-buffered release list let one thread hand the other the list it was still
/// walking: a wait added meanwhile was cleared unwoken and its session hung.)
/// </summary>
public sealed class PendingWritesTests
{
    [Fact]
    public void Waits_finished_and_released_by_two_threads_at_once_are_each_woken_once()
    {
        const int WaitsPerThread = 200_000;
        var pending = new PendingWrites();
        var context = new CommandContext(new Database(), new ReplyWriter());
        var tasks = new ValueTask[2 * WaitsPerThread];
        Exception? failure = null;

        void FinishAndRelease(int first)
        {
            try
            {
                for (int i = first; i < first + WaitsPerThread; i++)
                {
                    var waiter = new ClusterWaiter(i + 1, context);
                    tasks[i] = waiter.ArmWrites(1, 1, long.MaxValue);
                    pending.Add(waiter);
                    lock (pending.Gate)
                    {
                        Assert.True(pending.TryGet(i + 1, out ClusterWaiter found));
                        pending.Finish(found);
                    }

                    // Release every few finishes, as a cycle does after applying a batch.
                    if (i % 3 == 0)
                    {
                        pending.ReleaseFinished();
                    }
                }

                pending.ReleaseFinished();
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }

        var cycle = new Thread(() => FinishAndRelease(0));
        var peer = new Thread(() => FinishAndRelease(WaitsPerThread));
        cycle.Start();
        peer.Start();
        cycle.Join();
        peer.Join();
        pending.ReleaseFinished();

        Assert.Null(failure);
        Assert.Equal(0, pending.Count);
        int unwoken = 0;
        foreach (ValueTask task in tasks)
        {
            if (!task.IsCompletedSuccessfully)
            {
                unwoken++;
            }
        }

        Assert.Equal(0, unwoken);
    }

    [Fact]
    public void A_session_registers_while_an_apply_holds_the_gate_and_the_apply_then_finds_it()
    {
        var pending = new PendingWrites();
        var waiter = new ClusterWaiter(7, new CommandContext(new Database(), new ReplyWriter()));
        ValueTask woken = waiter.ArmWrites(1, 1, long.MaxValue);
        lock (pending.Gate)
        {
            // Another thread registers while this one holds the gate, as a session does during a long apply.
            var session = new Thread(() => pending.Add(waiter));
            session.Start();
            Assert.True(session.Join(TimeSpan.FromSeconds(30)), "registering waited for the gate");
            Assert.True(pending.TryGet(7, out ClusterWaiter found));
            Assert.Same(waiter, found);
            pending.Finish(found);
        }

        pending.ReleaseFinished();
        Assert.True(woken.IsCompletedSuccessfully);
        Assert.Equal(0, pending.Count);
    }
}
