using System.Threading.Tasks.Sources;
using Lattice.Engine;

namespace Lattice.Server.Cluster;

/// <summary>
/// One session's reusable wait on the replicated keyspace: either for a run of its writes (sequences
/// <see cref="FirstSequence"/>..<see cref="LastSequence"/>) to be applied here — each reply is written through the
/// session's own context by the apply, in order — or for a read barrier (ReadIndex) to be reached. Completed by the
/// thread running the node's Raft cycle under the <see cref="PendingWrites"/> gate; released once the gate is
/// free, the session resumes inline on that thread only to send its replies (see ClientSession.RunAsync), or on
/// the thread pool when woken from anywhere else.
/// </summary>
internal sealed class ClusterWaiter : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public ClusterWaiter(long sessionId, CommandContext context)
    {
        SessionId = sessionId;
        Context = context;
    }

    public long SessionId { get; }

    /// <summary>The session's context: applying one of its entries writes the reply through it.</summary>
    public CommandContext Context { get; }

    public ClusterWaitKind Kind { get; private set; }

    public long FirstSequence { get; private set; }

    public long LastSequence { get; private set; }

    /// <summary>The next of this session's sequences whose reply is due.</summary>
    public long NextSequence { get; set; }

    /// <summary>Read barriers: the commit index to reach, once the leader confirmed it (0 until then).</summary>
    public ulong ReadIndex { get; set; }

    /// <summary>When the wait gives up (monotonic milliseconds of the node's clock).</summary>
    public long DeadlineMs { get; private set; }

    /// <summary>Set when a read barrier failed; the session answers its reads with it.</summary>
    public string? Error { get; set; }

    public bool IsCompleted { get; private set; }

    /// <summary>
    /// The term the run was proposed in (0 until the Raft thread proposed or forwarded it): its entries can only be
    /// logged in that term, so once this replica applies an entry of a later term, the run's unapplied entries are lost.
    /// </summary>
    public ulong RunTerm { get; set; }

    /// <summary>The first sequence refused before it was logged (0: none); every later one of the run was refused too.</summary>
    public long RejectFrom { get; set; }

    public string? RejectError { get; set; }

    public ValueTask ArmWrites(long firstSequence, long lastSequence, long deadlineMs)
    {
        Reset(ClusterWaitKind.Writes, deadlineMs);
        FirstSequence = firstSequence;
        LastSequence = lastSequence;
        NextSequence = firstSequence;
        return new ValueTask(this, _core.Version);
    }

    public ValueTask ArmRead(long deadlineMs)
    {
        Reset(ClusterWaitKind.Read, deadlineMs);
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Marks the wait finished (under the pending-writes lock); <see cref="Release"/> wakes the session later.</summary>
    public void MarkCompleted() => IsCompleted = true;

    /// <summary>Wakes the session: inline on a thread running a Raft cycle (past the engine lock and the gate), else on the thread pool.</summary>
    public void Release()
    {
        _core.RunContinuationsAsynchronously = !ClusterNode.IsRaftThread;
        _core.SetResult(true);
    }

    /// <summary>Finishes and wakes the wait at once (reads, which no lock guards).</summary>
    public void Complete()
    {
        MarkCompleted();
        Release();
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Reset(ClusterWaitKind kind, long deadlineMs)
    {
        _core.Reset();
        Kind = kind;
        DeadlineMs = deadlineMs;
        ReadIndex = 0;
        Error = null;
        RejectFrom = 0;
        RejectError = null;
        RunTerm = 0;
        IsCompleted = false;
    }
}
