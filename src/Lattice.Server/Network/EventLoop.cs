using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Lattice.Common;

namespace Lattice.Server.Network;

/// <summary>
/// One thread that owns a set of client connections, as Redis's event loop does: it waits in <c>epoll_wait</c>,
/// reads every ready connection once (its session parses and runs the requests inline, writes only queue a
/// proposal), and at the end of the batch runs the work the batch left behind (<see cref="BatchEnd"/>: the Raft
/// cycle, so one log write and one fsync cover every write of the batch and the replies go out right after). Level
/// triggered: a connection is read once per wake-up, and one that cannot take more input is left out of the
/// interest set until it can.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const int EventsPerWait = 256;

    /// <summary>
    /// Polls (epoll_wait without a timeout, about half a microsecond each here) after a batch before the loop goes to
    /// sleep. The budget adapts: it doubles (up to <see cref="PollsMax"/>) each time work arrives while polling and
    /// halves (down to <see cref="PollsMin"/>) each time polling ends in sleep. Under load (many clients answering
    /// within microseconds) the loop is then found awake instead of paying a sleep and a wake-up per batch; a lone
    /// client whose requests come further apart keeps the budget at its minimum, so a lightly loaded node does not
    /// burn a core (docs/performance.md gives both sides).
    /// </summary>
    private const int PollsMin = 8;

    private const int PollsMax = 256;

    /// <summary>The data value of the loop's own wake-up descriptor.</summary>
    private const ulong WakeToken = ulong.MaxValue;

    /// <summary>The data value of the listening socket (registered on the first loop only).</summary>
    private const ulong ListenToken = ulong.MaxValue - 1;

    /// <summary>An eventfd counter increment of 1 (native byte order; only ever read).</summary>
    private static readonly byte[] WakeIncrement = BitConverter.GetBytes(1UL);

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly byte[] _events = new byte[EventsPerWait * EventLoopNative.EventBytes];
    private readonly byte[] _wakeBytes = new byte[8];
    private readonly Thread _thread;
    private readonly ConcurrentQueue<LoopConnection> _arrivals = new();
    private readonly ConcurrentQueue<LoopConnection> _closing = new();
    private readonly List<LoopConnection?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Action<LoopConnection> _onAccepted;
    private readonly Action<string> _log;
    private EventLoopListener? _listener;
    private int _wakePending;

    /// <summary>Guards the loop's own descriptors against use after <see cref="Dispose"/>.</summary>
    private readonly Lock _descriptors = new();
    private bool _disposed;
    private volatile bool _stopping;

    public EventLoop(string name, Action<LoopConnection> onAccepted, Action batchEnd, Action<string> log)
    {
        _onAccepted = onAccepted;
        BatchEnd = batchEnd;
        _log = log;
        _epoll = EventLoopNative.EpollCreate(EventLoopNative.CloseOnExec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _wakeFd = EventLoopNative.EventFd(0, EventLoopNative.CloseOnExec | EventLoopNative.NonBlocking);
        if (_wakeFd < 0 || EventLoopNative.Control(_epoll, EventLoopNative.EpollCtlAdd, _wakeFd, EventLoopNative.EpollIn, WakeToken) != 0)
        {
            EventLoopNative.Close(_epoll);
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Runs after every batch of events, on the loop's thread (the deferred Raft cycle).</summary>
    public Action BatchEnd { get; }

    /// <summary>Whether the calling thread is one of the event loops.</summary>
    public static bool OnLoopThread => t_current is not null;

    /// <summary>
    /// Adds, changes or removes a descriptor's interest (<c>epoll_ctl</c>); 0 or an error. After <see cref="Dispose"/>
    /// it does nothing (a session that outlived the stop must not reach a descriptor number that was reused).
    /// </summary>
    public int Control(int operation, nint fd, uint events, ulong token)
    {
        lock (_descriptors)
        {
            return _disposed ? -1 : EventLoopNative.Control(_epoll, operation, fd, events, token);
        }
    }

    public void Start() => _thread.Start();

    /// <summary>Makes this loop accept connections from the listener (the first loop).</summary>
    public void Listen(EventLoopListener listener)
    {
        _listener = listener;
        int error = EventLoopNative.Control(_epoll, EventLoopNative.EpollCtlAdd, listener.Handle, EventLoopNative.EpollIn, ListenToken);
        if (error != 0)
        {
            throw new IOException($"epoll_ctl for the listening socket failed (errno {error})");
        }
    }

    /// <summary>Hands a new connection to this loop (from the accepting loop).</summary>
    public void Adopt(LoopConnection connection)
    {
        _arrivals.Enqueue(connection);
        Wake();
    }

    /// <summary>Asks the loop to close a connection whose session has finished with both directions.</summary>
    public void RequestClose(LoopConnection connection)
    {
        _closing.Enqueue(connection);
        if (t_current != this)
        {
            Wake();
        }
    }

    /// <summary>Stops the loop thread and waits for it; connections still open are closed.</summary>
    public void Stop()
    {
        _stopping = true;
        Wake();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    public void Dispose()
    {
        Stop();
        lock (_descriptors)
        {
            // A session that outlived the stop may still ask for a close: its Wake must not write to a reused number.
            _disposed = true;
            EventLoopNative.Close(_wakeFd);
            EventLoopNative.Close(_epoll);
        }
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            lock (_descriptors)
            {
                if (!_disposed)
                {
                    EventLoopNative.Write(_wakeFd, ref WakeIncrement[0], 8);
                }
            }
        }
    }

    private void Run()
    {
        t_current = this;
        try
        {
            int pollBudget = PollsMin;
            int pollsLeft = 0;
            while (!_stopping)
            {
                bool polling = pollsLeft > 0;
                int ready = EventLoopNative.EpollWait(_epoll, ref _events[0], EventsPerWait, polling ? 0 : -1);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    Invariant.Check(errno == EventLoopNative.Interrupted, "epoll_wait fails only when interrupted");
                    continue;
                }

                if (ready == 0)
                {
                    if (--pollsLeft == 0)
                    {
                        // Polling found nothing this time: poll less before the next sleep.
                        pollBudget = Math.Max(PollsMin, pollBudget / 2);
                    }

                    continue;
                }

                if (polling)
                {
                    // Work came while polling: a sleep and a wake-up saved; poll longer next time.
                    pollBudget = Math.Min(PollsMax, pollBudget * 2);
                }

                pollsLeft = pollBudget;

                Cluster.CycleDeferral.Begin();
                try
                {
                    HandleEvents(ready);
                    AdoptArrivals();
                }
                finally
                {
                    Cluster.CycleDeferral.End();
                }

                BatchEnd();
                // After the cycle too: a session it resumed here may have finished (QUIT after a write).
                CloseFinished();
            }
        }
        catch (Exception e)
        {
            // A loop that stopped would leave its clients unanswered for ever: stop the node loudly instead.
            _log($"FATAL: client event loop {Thread.CurrentThread.Name}: {e}");
            Environment.FailFast($"lattice: client event loop failed: {e.Message}", e);
        }
        finally
        {
            CloseAll();
            t_current = null;
        }
    }

    private void HandleEvents(int ready)
    {
        int size = EventLoopNative.EventBytes;
        int dataOffset = EventLoopNative.DataOffset;
        for (int i = 0; i < ready; i++)
        {
            ReadOnlySpan<byte> entry = _events.AsSpan(i * size, size);
            uint events = MemoryMarshal.Read<uint>(entry);
            ulong data = MemoryMarshal.Read<ulong>(entry[dataOffset..]);
            if (data == WakeToken)
            {
                // Drain first, then clear: a Wake between the two is seen by the queue drains after these events,
                // and one after the clear writes again. The other order could swallow a write and leave the flag set.
                EventLoopNative.Read(_wakeFd, ref _wakeBytes[0], 8);
                Volatile.Write(ref _wakePending, 0);
                continue;
            }

            if (data == ListenToken)
            {
                _listener!.AcceptReady();
                continue;
            }

            int slot = (int)(uint)data;
            LoopConnection? connection = slot < _slots.Count ? _slots[slot] : null;
            if (connection is null || connection.Generation != (uint)(data >> 32))
            {
                // Closed earlier in this batch; its slot may already hold another connection.
                continue;
            }

            if ((events & (EventLoopNative.EpollOut | EventLoopNative.EpollErr | EventLoopNative.EpollHup)) != 0)
            {
                connection.OnWritable();
            }

            if ((events & (EventLoopNative.EpollIn | EventLoopNative.EpollErr | EventLoopNative.EpollHup | EventLoopNative.EpollRdHup)) != 0)
            {
                connection.OnReadable();
            }
        }
    }

    private void AdoptArrivals()
    {
        while (_arrivals.TryDequeue(out LoopConnection? connection))
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _slots[slot] = connection;
            if (!connection.Register(this, slot))
            {
                _slots[slot] = null;
                _freeSlots.Push(slot);
                continue;
            }

            _onAccepted(connection);
        }
    }

    private int AddSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    private void CloseFinished()
    {
        while (_closing.TryDequeue(out LoopConnection? connection))
        {
            if (connection.Slot >= 0 && _slots[connection.Slot] == connection)
            {
                _slots[connection.Slot] = null;
                _freeSlots.Push(connection.Slot);
            }

            connection.CloseOnLoop();
        }
    }

    private void CloseAll()
    {
        CloseFinished();
        foreach (LoopConnection? connection in _slots)
        {
            connection?.CloseOnLoop();
        }

        _slots.Clear();
        while (_arrivals.TryDequeue(out LoopConnection? connection))
        {
            connection.CloseOnLoop();
        }
    }
}
