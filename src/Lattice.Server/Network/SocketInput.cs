using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Lattice.Server.Network;

/// <summary>
/// A connection's input: the loop receives into one buffer and hands it to the waiting session, whose code then runs
/// inline on the loop's thread (no hop per request). While the session holds the buffer (between a read and its
/// AdvanceTo) or the buffer is at its limit, the loop stops reading this socket; AdvanceTo lets it read again. So a
/// session busy with a long write wait holds at most <see cref="BufferedBytesMax"/> of unread input.
/// </summary>
internal sealed class SocketInput(LoopConnection connection) : PipeReader, IValueTaskSource<ReadResult>
{
    private const int InitialBytes = 16 * 1024;
    private const int RetainedBytes = 64 * 1024;

    /// <summary>
    /// Most input held for one connection before the loop stops reading it. A mass insert then proposes about this
    /// much per Raft cycle: with 1 MB (Kestrel's default) the buffers sized by those cycles kept 18 MB more after a
    /// 1M-key load (docs/performance.md), with no faster load.
    /// </summary>
    internal const int BufferedBytesMax = 64 * 1024;

    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<ReadResult> _core;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _length;

    /// <summary>Bytes at the front that the session examined without consuming: a read waits for more than these.</summary>
    private int _examined;
    private ReadOnlySequence<byte> _lent;
    private bool _lentOut;

    /// <summary>Lent to a session running off the loop's thread: the loop cannot fill the buffer meanwhile.</summary>
    private bool _lentElsewhere;
    private bool _waiting;
    private bool _ended;
    private bool _cancelNext;
    private bool _completed;
    private bool _readOff;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.CanBeCanceled)
        {
            throw new NotSupportedException("a loop connection's read is cancelled with CancelPendingRead");
        }

        lock (_lock)
        {
            if (TryTakeLocked(out ReadResult result))
            {
                return new ValueTask<ReadResult>(result);
            }

            _core.Reset();
            _waiting = true;
            return new ValueTask<ReadResult>(this, _core.Version);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_lock)
        {
            return TryTakeLocked(out result);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_lock)
        {
            if (!_lentOut)
            {
                throw new InvalidOperationException("AdvanceTo without a read");
            }

            int used = (int)_lent.GetOffset(consumed);
            int seen = (int)_lent.GetOffset(examined);
            if (used > 0)
            {
                _buffer.AsSpan(used, _length - used).CopyTo(_buffer);
                _length -= used;
            }

            _examined = Math.Max(0, seen - used);
            _lentOut = false;
            _lent = default;
            if (_length == 0 && _buffer.Length > RetainedBytes)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
            }

            UpdateReadOffLocked();
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult result;
        lock (_lock)
        {
            if (!_waiting)
            {
                _cancelNext = true;
                return;
            }

            _waiting = false;
            result = LendLocked(canceled: true);
        }

        // From another thread (CLIENT KILL, shutdown): the session resumes on the thread pool, not on the caller.
        Resume(result, inline: false);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _waiting = false;
            UpdateReadOffLocked();
        }

        connection.OnSideFinished();
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>The socket is readable (or hung up): one receive, then the waiting session runs inline.</summary>
    public void OnReadable()
    {
        ReadResult result;
        lock (_lock)
        {
            if (_ended || _completed || _lentOut || _length >= BufferedBytesMax)
            {
                UpdateReadOffLocked();
                return;
            }

            if (_length == _buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, BufferedBytesMax));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            nint received = EventLoopNative.Receive(connection.Fd, ref _buffer[_length], _buffer.Length - _length, 0);
            if (received > 0)
            {
                _length += (int)received;
            }
            else if (received == 0)
            {
                _ended = true;
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EventLoopNative.WouldBlock || errno == EventLoopNative.Interrupted)
                {
                    return;
                }

                // Reset by the peer or similar: the session sees the end of its input.
                _ended = true;
            }

            if (!TakeWaiterLocked(out result))
            {
                return;
            }
        }

        Resume(result, inline: true);
    }

    /// <summary>The connection was aborted: the session's pending or next read ends.</summary>
    public void OnAborted()
    {
        ReadResult result;
        lock (_lock)
        {
            _ended = true;
            if (!TakeWaiterLocked(out result))
            {
                return;
            }
        }

        Resume(result, inline: false);
    }

    /// <summary>Gives the buffer back once the socket is closed and the session has completed the reader.</summary>
    public void ReturnBuffer()
    {
        lock (_lock)
        {
            if (_completed && _buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
                _length = 0;
            }
        }
    }

    /// <summary>Hands the buffer to a session waiting in ReadAsync; false (and the registration updated) when none waits.</summary>
    private bool TakeWaiterLocked(out ReadResult result)
    {
        if (!_waiting)
        {
            UpdateReadOffLocked();
            result = default;
            return false;
        }

        _waiting = false;
        result = LendLocked(canceled: false);
        return true;
    }

    /// <summary>Completes the waiting read: inline on the loop's thread, else on the thread pool.</summary>
    private void Resume(ReadResult result, bool inline)
    {
        _core.RunContinuationsAsynchronously = !inline;
        _core.SetResult(result);
    }

    private bool TryTakeLocked(out ReadResult result)
    {
        if (_completed)
        {
            throw new InvalidOperationException("reading after the reader was completed");
        }

        if (_cancelNext)
        {
            _cancelNext = false;
            result = LendLocked(canceled: true);
            return true;
        }

        if (_length > _examined || _ended)
        {
            result = LendLocked(canceled: false);
            return true;
        }

        result = default;
        return false;
    }

    private ReadResult LendLocked(bool canceled)
    {
        _lentOut = true;
        // A session resumed by a Raft cycle (even one run on a loop thread) moves to the thread pool with the buffer.
        _lentElsewhere = !EventLoop.OnLoopThread || Cluster.ClusterNode.IsRaftThread;
        _lent = new ReadOnlySequence<byte>(_buffer, 0, _length);
        UpdateReadOffLocked();
        return new ReadResult(_lent, canceled, _ended);
    }

    /// <summary>
    /// The loop reads this socket only while the buffer is the loop's to fill: not lent out, not full, not ended.
    /// Lending happens on the loop's thread in the common case (the session runs inline and advances before the loop
    /// handles another event), which toggles nothing; the registration changes only when the state differs.
    /// </summary>
    private void UpdateReadOffLocked()
    {
        bool off = _ended || _completed || (_lentOut && _lentElsewhere) || _length >= BufferedBytesMax;
        if (off != _readOff)
        {
            _readOff = off;
            connection.SetReadOff(off);
        }
    }
}
