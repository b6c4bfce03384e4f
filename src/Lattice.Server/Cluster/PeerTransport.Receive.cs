using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>Accepting connections, the Hello exchange on the accepting side, and the receive loop.</summary>
public sealed partial class PeerTransport
{
    /// <summary>Steady-state receive buffer; a larger frame borrows a bigger one only while it is being read.</summary>
    private const int ReceiveBufferBytes = 64 * 1024;

    internal static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            if (sent <= 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            data = data[sent..];
        }
    }

    /// <summary>Fills <paramref name="destination"/>; false if the peer closed first.</summary>
    internal static async Task<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken token)
    {
        while (!destination.IsEmpty)
        {
            int received = await socket.ReceiveAsync(destination, SocketFlags.None, token).ConfigureAwait(false);
            if (received == 0)
            {
                return false;
            }

            destination = destination[received..];
        }

        return true;
    }

    /// <summary>Reads frames until the connection fails or sends something invalid, then closes it with the reason.</summary>
    internal async Task ReceiveAsync(PeerConnection connection, PeerLink link)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        int start = 0;
        int end = 0;
        string reason = "closed";
        try
        {
            while (true)
            {
                while (end - start >= sizeof(uint))
                {
                    uint length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(start));
                    if (length > (uint)Options.MaxFrameBytes || length < 2)
                    {
                        reason = $"frame length {length} outside [2, {Options.MaxFrameBytes}]";
                        return;
                    }

                    int frameBytes = sizeof(uint) + (int)length;
                    if (end - start < frameBytes)
                    {
                        if (frameBytes > buffer.Length)
                        {
                            buffer = Regrow(buffer, ref start, ref end, frameBytes);
                        }

                        break;
                    }

                    if (!Dispatch(link, buffer.AsSpan(start + sizeof(uint), (int)length), out reason))
                    {
                        return;
                    }

                    start += frameBytes;
                }

                if (start == end)
                {
                    start = 0;
                    end = 0;
                    if (buffer.Length > ReceiveBufferBytes)
                    {
                        // Give back the buffer a large frame needed, so an idle connection holds little.
                        buffer = Regrow(buffer, ref start, ref end, ReceiveBufferBytes);
                    }
                }
                else if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                int received = await connection.Socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, connection.Closing).ConfigureAwait(false);
                if (received == 0)
                {
                    reason = "peer closed the connection";
                    return;
                }

                end += received;
            }
        }
        catch (OperationCanceledException)
        {
            reason = "closed";
        }
        catch (SocketException e)
        {
            reason = $"receive failed: {e.SocketErrorCode}";
        }
        catch (ObjectDisposedException)
        {
            reason = "socket closed";
        }
        catch (InvariantViolationException e)
        {
            // A wrong internal state must stop the node loudly; on this thread it would only fault an unobserved task.
            Log($"FATAL: peer transport: node {NodeId}: {e}");
            Environment.FailFast($"lattice: peer receive failed: {e.Message}", e);
        }
        catch (Exception e)
        {
            // A failing handler costs this connection, not the process; the peer reconnects.
            reason = $"message handler failed: {e}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            connection.Close(reason);
        }
    }

    private static byte[] Regrow(byte[] buffer, ref int start, ref int end, int size)
    {
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(start, end - start).CopyTo(next);
        ArrayPool<byte>.Shared.Return(buffer);
        end -= start;
        start = 0;
        return next;
    }

    /// <summary>Hands one frame (version, kind, body) to the handler; false with a reason if it is invalid.</summary>
    private bool Dispatch(PeerLink link, ReadOnlySpan<byte> frame, out string reason)
    {
        reason = "";
        byte version = frame[0];
        byte kind = frame[1];
        ReadOnlySpan<byte> body = frame[2..];
        if (version != PeerFrameFormat.Version)
        {
            reason = $"unsupported frame version {version}";
            return false;
        }

        if (kind != (byte)PeerFrameKind.Raft && kind < (byte)PeerFrameKind.FirstApplication)
        {
            reason = $"unexpected frame kind {kind}";
            return false;
        }

        if (Faults.IsPartitioned(link.PeerId))
        {
            link.Counters.AddDropped();
            Totals.AddDropped();
            return true;
        }

        if (kind == (byte)PeerFrameKind.Raft)
        {
            if (!RaftMessageCodec.TryRead(body, out RaftMessage message, out string? error))
            {
                reason = $"malformed raft message: {error}";
                return false;
            }

            if (message.To != NodeId || message.From != link.PeerId)
            {
                reason = $"raft message from {message.From} to {message.To} on the connection with peer {link.PeerId}";
                return false;
            }

            link.Counters.AddReceived();
            Totals.AddReceived();
            _handler.OnRaftMessage(message);
            return true;
        }

        link.Counters.AddReceived();
        Totals.AddReceived();
        _handler.OnPeerFrame(link.PeerId, kind, body);
        return true;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors and the like: pause so the loop does not spin, then keep serving.
                Log($"peer transport: node {NodeId} accept failed: {e.SocketErrorCode}");
                try
                {
                    await Task.Delay(Options.ReconnectDelayMin, Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            PeerConnection? connection = Register(socket);
            if (connection is null)
            {
                socket.Dispose();
                return;
            }

            if (Interlocked.Increment(ref _handshaking) > MaxHandshakingConnections)
            {
                Interlocked.Decrement(ref _handshaking);
                connection.Close($"more than {MaxHandshakingConnections} connections are in the handshake");
                continue;
            }

            connection.Receiving = HandleAcceptedAsync(connection);
        }
    }

    /// <summary>Accepting side of the Hello exchange, then the receive loop.</summary>
    private async Task HandleAcceptedAsync(PeerConnection connection)
    {
        PeerLink? link;
        try
        {
            using var timeout = new CancellationTokenSource(Options.ConnectTimeout, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing, timeout.Token);
            byte[] hello = new byte[PeerFrameFormat.HelloFrameBytes];
            // The length comes first so a bad first frame is refused at once, not after the timeout.
            if (!await ReceiveExactlyAsync(connection.Socket, hello.AsMemory(0, sizeof(uint)), linked.Token).ConfigureAwait(false))
            {
                connection.Close("peer closed the connection during the handshake");
                return;
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(hello);
            if (length != PeerFrameFormat.HelloBodyBytes + 2)
            {
                connection.Close($"first frame length {length} is not a hello");
                return;
            }

            if (!await ReceiveExactlyAsync(connection.Socket, hello.AsMemory(sizeof(uint)), linked.Token).ConfigureAwait(false))
            {
                connection.Close("peer closed the connection during the handshake");
                return;
            }

            if (!PeerFrameFormat.TryReadHello(hello, out ulong clusterId, out ulong from, out ulong to, out string? error))
            {
                connection.Close(error ?? "malformed hello");
                return;
            }

            string? refusal =
                clusterId != Options.ClusterId ? $"cluster id mismatch: peer says {clusterId}, this node is in {Options.ClusterId}" :
                to != NodeId ? $"hello is addressed to node {to}, this is node {NodeId}" :
                from == 0 || from >= NodeId ? $"node {from} must not dial node {NodeId} (only the lower id dials)" :
                null;
            if (refusal is not null)
            {
                connection.Close(refusal);
                return;
            }

            if (!_peers.TryGetValue(from, out link))
            {
                connection.Close($"hello from unknown peer {from}");
                return;
            }

            PeerFrameFormat.WriteHello(hello, Options.ClusterId, NodeId, from);
            await SendAllAsync(connection.Socket, hello, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Close("handshake timed out");
            return;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            connection.Close($"handshake failed: {e.Message}");
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _handshaking);
        }

        connection.PeerId = link.PeerId;
        if (!link.Attach(connection))
        {
            connection.Close("peer removed");
            return;
        }

        await ReceiveAsync(connection, link).ConfigureAwait(false);
    }
}
