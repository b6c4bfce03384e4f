using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Lattice.Server.Network;

/// <summary>
/// Listens for RESP clients and spreads them over the event loops (round robin); each loop owns its connections for
/// their life. The first loop also accepts.
/// </summary>
internal sealed class EventLoopListener : IDisposable
{
    /// <summary>Connections accepted per wake-up of the listening socket, so a connection storm cannot hold a loop.</summary>
    private const int AcceptsPerWake = 64;

    private const int OutOfDescriptors = 24;
    private const int SystemOutOfDescriptors = 23;

    private readonly Socket _listen;
    private readonly EventLoop[] _loops;
    private readonly Func<LoopConnection, Task> _serve;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<LoopConnection, Task> _sessions = new();
    private Timer? _acceptRetry;
    private int _next;

    public EventLoopListener(IPEndPoint endPoint, int loopCount, Func<LoopConnection, Task> serve, Action batchEnd, Action<string> log)
    {
        _serve = serve;
        _log = log;
        _listen = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listen.Bind(endPoint);
            _listen.Listen(511);
        }
        catch (SocketException e)
        {
            _listen.Dispose();
            string reason = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : e.Message;
            throw new IOException(reason, e);
        }

        _listen.Blocking = false;
        _loops = new EventLoop[loopCount];
        for (int i = 0; i < loopCount; i++)
        {
            _loops[i] = new EventLoop($"lattice-loop-{i}", Serve, batchEnd, log);
        }

        _loops[0].Listen(this);
    }

    public nint Handle => _listen.Handle;

    public int LoopCount => _loops.Length;

    public void Start()
    {
        foreach (EventLoop loop in _loops)
        {
            loop.Start();
        }
    }

    /// <summary>Accepts what is waiting (on the first loop's thread) and hands each connection to a loop.</summary>
    internal void AcceptReady()
    {
        for (int i = 0; i < AcceptsPerWake; i++)
        {
            int fd = EventLoopNative.Accept(Handle, 0, 0, EventLoopNative.NonBlocking | EventLoopNative.CloseOnExec);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is OutOfDescriptors or SystemOutOfDescriptors)
                {
                    PauseAccepting();
                }

                // EAGAIN: nothing more waits; anything else (a connection aborted before it was taken): next wake-up.
                return;
            }

            var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            LoopConnection connection;
            try
            {
                // Replies are small and go out at once, as Redis and Kestrel set it.
                socket.NoDelay = true;
                connection = new LoopConnection(socket);
            }
            catch (SocketException)
            {
                // Reset before it could be set up.
                socket.Dispose();
                continue;
            }

            _loops[(int)((uint)_next++ % (uint)_loops.Length)].Adopt(connection);
        }
    }

    /// <summary>Stops accepting, waits (bounded) for the sessions to end, then stops the loops.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        _acceptRetry?.Dispose();
        _listen.Dispose();
        Task all = Task.WhenAll(_sessions.Values);
        try
        {
            await all.WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log($"{_sessions.Count} client session(s) did not end within {wait.TotalSeconds:0} s of shutdown");
        }

        foreach (EventLoop loop in _loops)
        {
            loop.Stop();
        }
    }

    public void Dispose()
    {
        _acceptRetry?.Dispose();
        _listen.Dispose();
        foreach (EventLoop loop in _loops)
        {
            loop.Dispose();
        }
    }

    private void Serve(LoopConnection connection)
    {
        Task session = _serve(connection);
        if (session.IsCompleted)
        {
            // Refused at once (max clients): the socket closes once both directions are finished.
            connection.FinishSession();
            return;
        }

        _sessions[connection] = session;
        session.ContinueWith(
            (_, state) =>
            {
                connection.FinishSession();
                ((ConcurrentDictionary<LoopConnection, Task>)state!).TryRemove(connection, out Task? _);
            },
            _sessions,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Out of file descriptors: the listening socket stays readable, so the loop would wake for ever. Take it out of
    /// the set for a moment (clients wait in the backlog meanwhile) and say so.
    /// </summary>
    private void ResumeAccepting()
    {
        try
        {
            _loops[0].Listen(this);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _log($"cannot accept client connections again: {e.Message}");
        }
    }

    private void PauseAccepting()
    {
        _log("cannot accept a client connection: out of file descriptors (see ulimit -n); accepting again in 100 ms");
        _loops[0].Control(EventLoopNative.EpollCtlDel, Handle, 0, 0);
        _acceptRetry?.Dispose();
        _acceptRetry = new Timer(_ => ResumeAccepting(), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
    }
}
