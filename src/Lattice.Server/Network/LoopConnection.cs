using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Lattice.Server.Network;

/// <summary>
/// A client connection owned by one <see cref="EventLoop"/>: a non-blocking socket with a reader the loop fills
/// and a writer that sends from the session's thread. The registration's interest follows what the connection can
/// use: input while the reader has room, output while a flush waits for the socket; with neither, the descriptor
/// is out of the epoll set (a level-triggered hang-up would otherwise wake the loop for ever). The descriptor is
/// closed only by the loop, after the session finished with both directions, so no send can reach a reused one.
/// </summary>
internal sealed class LoopConnection : ConnectionContext, IDuplexPipe
{
    private static int s_generation;

    private readonly Socket _socket;
    private readonly Lock _lifecycle = new();
    private readonly SocketInput _input;
    private readonly SocketOutput _output;
    private EventLoop? _loop;
    private bool _registered;
    private bool _readOff;
    private bool _writeWanted;
    private bool _closed;
    private int _finishedSides;

    public LoopConnection(Socket socket)
    {
        _socket = socket;
        Fd = socket.Handle;
        Generation = (uint)Interlocked.Increment(ref s_generation);
        ConnectionId = "lattice-" + Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _input = new SocketInput(this);
        _output = new SocketOutput(this);
    }

    public nint Fd { get; }

    /// <summary>Tells this connection from a later one in the same loop slot (events of a closed one are stale).</summary>
    public uint Generation { get; }

    public int Slot { get; private set; } = -1;

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport
    {
        get => this;
        set => throw new NotSupportedException("a loop connection's transport is its socket");
    }

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    private ulong Token => ((ulong)Generation << 32) | (uint)Slot;

    /// <summary>Adds the socket to the loop's epoll set (on the loop's thread); false when the kernel refused.</summary>
    public bool Register(EventLoop loop, int slot)
    {
        lock (_lifecycle)
        {
            _loop = loop;
            Slot = slot;
            _registered = loop.Control(EventLoopNative.EpollCtlAdd, Fd, EventLoopNative.EpollIn, Token) == 0;
            if (!_registered)
            {
                _closed = true;
                _socket.Dispose();
            }

            return _registered;
        }
    }

    public void OnReadable() => _input.OnReadable();

    public void OnWritable() => _output.OnWritable();

    /// <summary>Input stops (the reader is full, lent out, or ended) or resumes. Called under the reader's lock.</summary>
    public void SetReadOff(bool off)
    {
        lock (_lifecycle)
        {
            _readOff = off;
            UpdateInterest();
        }
    }

    /// <summary>A flush waits for room in the socket, or no longer does. Called under the writer's lock.</summary>
    public void SetWriteWanted(bool wanted)
    {
        lock (_lifecycle)
        {
            _writeWanted = wanted;
            UpdateInterest();
        }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        lock (_lifecycle)
        {
            if (!_closed)
            {
                try
                {
                    _socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already disconnected.
                }
            }
        }

        _input.OnAborted();
        _output.OnAborted();
    }

    /// <summary>The session's handler returned: both directions are finished whether or not it completed them.</summary>
    public void FinishSession()
    {
        _input.Complete();
        _output.Complete();
    }

    /// <summary>The session completed the reader or the writer; after both, the loop closes the socket.</summary>
    public void OnSideFinished()
    {
        if (Interlocked.Increment(ref _finishedSides) == 2)
        {
            _loop!.RequestClose(this);
        }
    }

    /// <summary>Closes the socket (on the loop's thread). A session still running (a loop stopping) is only cut off.</summary>
    public void CloseOnLoop()
    {
        bool sessionDone = Volatile.Read(ref _finishedSides) == 2;
        if (!sessionDone)
        {
            Abort(new ConnectionAbortedException("the server is stopping"));
            return;
        }

        lock (_lifecycle)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_registered)
            {
                _loop!.Control(EventLoopNative.EpollCtlDel, Fd, 0, 0);
                _registered = false;
            }

            _socket.Dispose();
        }

        _input.ReturnBuffer();
        _output.ReturnBuffer();
    }

    private void UpdateInterest()
    {
        if (_closed || _loop is null)
        {
            return;
        }

        uint events = (_readOff ? 0 : EventLoopNative.EpollIn) | (_writeWanted ? EventLoopNative.EpollOut : 0);
        if (events == 0)
        {
            if (_registered)
            {
                _loop.Control(EventLoopNative.EpollCtlDel, Fd, 0, 0);
                _registered = false;
            }

            return;
        }

        int operation = _registered ? EventLoopNative.EpollCtlMod : EventLoopNative.EpollCtlAdd;
        int error = _loop.Control(operation, Fd, events, Token);
        _registered = error == 0;
    }
}
