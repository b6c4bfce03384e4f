using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>
/// Sessions of this node waiting for their writes to be applied, by session id. Sessions register before they
/// submit; the Raft thread finishes them (apply, rejection, timeout) under <see cref="Gate"/>, which is also held
/// while an apply writes a reply into a session's output, so a timeout can never race an apply for the same session.
/// Finished waits are woken only after the lock is released (<see cref="ReleaseFinished"/>): a session resumed
/// inline must not run inside the apply. Registering does not take the gate: an apply holds it for a whole batch,
/// and a session registering on the other core would spin and sleep behind it. Registrations wait in a list of
/// their own, moved into the table by whoever next looks under the gate; a session registers before it submits
/// its run, so its wait is in the table before any apply can reach the run.
/// </summary>
internal sealed class PendingWrites
{
    private readonly Dictionary<long, ClusterWaiter> _waiting = [];
    private readonly List<ClusterWaiter> _expired = [];
    private readonly Stack<List<ClusterWaiter>> _spareLists = new();
    private readonly Lock _registering = new();
    private List<ClusterWaiter> _registered = [];
    private List<ClusterWaiter> _moving = [];
    private int _registeredCount;
    private List<ClusterWaiter> _finished = [];

    public Lock Gate { get; } = new();

    public int Count
    {
        get
        {
            lock (Gate)
            {
                TakeRegistered();
                return _waiting.Count;
            }
        }
    }

    public void Add(ClusterWaiter waiter)
    {
        lock (_registering)
        {
            _registered.Add(waiter);
            Volatile.Write(ref _registeredCount, _registered.Count);
        }
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public bool TryGet(long sessionId, out ClusterWaiter waiter)
    {
        TakeRegistered();
        return _waiting.TryGetValue(sessionId, out waiter!);
    }

    /// <summary>Caller holds <see cref="Gate"/>: removes the wait; it is woken by the next <see cref="ReleaseFinished"/>.</summary>
    public void Finish(ClusterWaiter waiter)
    {
        _waiting.Remove(waiter.SessionId);
        waiter.MarkCompleted();
        _finished.Add(waiter);
    }

    /// <summary>
    /// Wakes every finished wait. Caller does not hold <see cref="Gate"/>. Threads may release at the same time (a
    /// cycle's thread, a peer's refusal): each takes the finished list for itself and leaves a spare one in its place.
    /// </summary>
    public void ReleaseFinished()
    {
        List<ClusterWaiter> releasing;
        lock (Gate)
        {
            if (_finished.Count == 0)
            {
                return;
            }

            releasing = _finished;
            _finished = _spareLists.Count > 0 ? _spareLists.Pop() : [];
        }

        foreach (ClusterWaiter waiter in releasing)
        {
            waiter.Release();
        }

        releasing.Clear();
        lock (Gate)
        {
            _spareLists.Push(releasing);
        }
    }

    /// <summary>Caller holds <see cref="Gate"/>: the waits whose run was proposed in a term before <paramref name="term"/>.</summary>
    public List<ClusterWaiter> ProposedBefore(ulong term)
    {
        TakeRegistered();
        _expired.Clear();
        foreach (ClusterWaiter waiter in _waiting.Values)
        {
            if (waiter.RunTerm != 0 && waiter.RunTerm < term)
            {
                _expired.Add(waiter);
            }
        }

        return _expired;
    }

    /// <summary>Caller holds <see cref="Gate"/>: the waits whose deadline has passed (valid until the next call).</summary>
    public List<ClusterWaiter> Expired(long nowMs)
    {
        TakeRegistered();
        _expired.Clear();
        foreach (ClusterWaiter waiter in _waiting.Values)
        {
            if (waiter.DeadlineMs <= nowMs)
            {
                _expired.Add(waiter);
            }
        }

        return _expired;
    }

    /// <summary>Caller holds <see cref="Gate"/> (so one thread at a time moves registrations into the table).</summary>
    private void TakeRegistered()
    {
        Invariant.Check(Gate.IsHeldByCurrentThread, "registrations move into the table under the gate");
        if (Volatile.Read(ref _registeredCount) == 0)
        {
            return;
        }

        List<ClusterWaiter> taken;
        lock (_registering)
        {
            taken = _registered;
            _registered = _moving;
            _registeredCount = 0;
        }

        foreach (ClusterWaiter waiter in taken)
        {
            _waiting.Add(waiter.SessionId, waiter);
        }

        taken.Clear();
        _moving = taken;
    }
}
