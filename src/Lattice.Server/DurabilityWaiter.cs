using System.Threading.Tasks.Sources;

namespace Lattice.Server;

/// <summary>
/// One session's reusable wait for "the log is durable up to index N". Completed by whichever thread finishes the
/// flush, and the session resumes on that thread to send its replies (no handoff); see
/// <see cref="NodeStore.IsReleasingWaiters"/> for why it goes no further there.
/// </summary>
internal sealed class DurabilityWaiter : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };

    /// <summary>The log index this wait is for.</summary>
    public long Index { get; private set; }

    public ValueTask Arm(long index)
    {
        _core.Reset();
        Index = index;
        return new ValueTask(this, _core.Version);
    }

    public void Complete() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
