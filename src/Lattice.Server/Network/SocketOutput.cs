using System.Buffers;
using Lattice.Common;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Lattice.Server.Network;

/// <summary>
/// A connection's output: replies are written into one buffer and a flush sends it from the session's own thread
/// (one <c>send</c> per batch of replies). When the socket is full the flush waits and the loop sends the rest as the
/// socket drains; the session does not read meanwhile, so a client that never reads its replies holds at most one
/// batch of replies (a session sends them once they pass 64 KB) and its unread input.
/// </summary>
internal sealed class SocketOutput(LoopConnection connection) : PipeWriter, IValueTaskSource<FlushResult>
{
    private const int InitialBytes = 4 * 1024;
    private const int RetainedBytes = 128 * 1024;

    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<FlushResult> _core;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);

    /// <summary>Bytes before this offset are sent.</summary>
    private int _sent;

    /// <summary>Bytes before this offset are written by the session.</summary>
    private int _written;
    private bool _flushWaiting;
    private bool _broken;
    private bool _cancelNext;
    private bool _completed;

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "advanced past the buffer handed out");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.CanBeCanceled)
        {
            throw new NotSupportedException("a loop connection's flush is cancelled with CancelPendingFlush");
        }

        lock (_lock)
        {
            if (_cancelNext)
            {
                _cancelNext = false;
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
            }

            if (!SendLocked())
            {
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
            }

            if (_sent == _written)
            {
                ResetLocked();
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
            }

            // The socket is full: the loop sends the rest when it drains.
            _core.Reset();
            _flushWaiting = true;
            connection.SetWriteWanted(true);
            return new ValueTask<FlushResult>(this, _core.Version);
        }
    }

    public override void CancelPendingFlush()
    {
        lock (_lock)
        {
            if (!_flushWaiting)
            {
                _cancelNext = true;
                return;
            }

            _flushWaiting = false;
            connection.SetWriteWanted(false);
        }

        _core.RunContinuationsAsynchronously = true;
        _core.SetResult(new FlushResult(isCanceled: true, isCompleted: false));
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
        }

        connection.OnSideFinished();
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>The socket has room (or failed): send what a waiting flush left; finish the flush once all is sent.</summary>
    public void OnWritable()
    {
        bool sentAll;
        lock (_lock)
        {
            if (!_flushWaiting)
            {
                connection.SetWriteWanted(false);
                return;
            }

            sentAll = SendLocked();
            if (sentAll && _sent < _written)
            {
                return;
            }

            _flushWaiting = false;
            connection.SetWriteWanted(false);
            if (sentAll)
            {
                ResetLocked();
            }
        }

        _core.RunContinuationsAsynchronously = false;
        _core.SetResult(new FlushResult(isCanceled: false, isCompleted: !sentAll));
    }

    /// <summary>The connection was aborted: a waiting flush ends, and later ones report the connection completed.</summary>
    public void OnAborted()
    {
        lock (_lock)
        {
            _broken = true;
            if (!_flushWaiting)
            {
                return;
            }

            _flushWaiting = false;
            connection.SetWriteWanted(false);
        }

        _core.RunContinuationsAsynchronously = true;
        _core.SetResult(new FlushResult(isCanceled: false, isCompleted: true));
    }

    /// <summary>Gives the buffer back once the socket is closed and the session has completed the writer.</summary>
    public void ReturnBuffer()
    {
        lock (_lock)
        {
            if (_completed && _buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
                _sent = _written = 0;
            }
        }
    }

    /// <summary>Sends until done or the socket is full; false when the connection is broken.</summary>
    private bool SendLocked()
    {
        while (!_broken && _sent < _written)
        {
            nint sent = EventLoopNative.Send(connection.Fd, ref _buffer[_sent], _written - _sent, EventLoopNative.SendNoSignal);
            if (sent > 0)
            {
                _sent += (int)sent;
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EventLoopNative.WouldBlock)
            {
                return true;
            }

            if (errno != EventLoopNative.Interrupted)
            {
                _broken = true;
            }
        }

        return !_broken;
    }

    private void ResetLocked()
    {
        _sent = 0;
        _written = 0;
        if (_buffer.Length > RetainedBytes)
        {
            // One huge reply should not pin its buffer for the life of the connection.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
        }
    }

    /// <summary>Room for at least <paramref name="sizeHint"/> bytes (at least one) after what is written.</summary>
    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        int pending = _written - _sent;
        if (_sent > 0 && _buffer.Length - pending >= needed)
        {
            _buffer.AsSpan(_sent, pending).CopyTo(_buffer);
        }
        else
        {
            long wanted = Math.Max(Math.Min(_buffer.Length * 2L, Array.MaxLength), (long)pending + needed);
            // client-output-buffer-limit (at most 1 GB) drops a reply before it would get here.
            Invariant.Check(wanted <= Array.MaxLength, "a connection's output fits one array");

            byte[] larger = ArrayPool<byte>.Shared.Rent((int)wanted);
            _buffer.AsSpan(_sent, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _sent = 0;
        _written = pending;
    }
}
