using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Lattice.Resp;
using Lattice.Server.Network;

namespace Lattice.SocketFloor;

/// <summary>
/// The floor with a socket layer of our own: one epoll loop per thread, a read only when the socket is readable,
/// every complete request parsed with Lattice's parser and answered +OK with one send per read. With a poll budget,
/// the loop polls (epoll_wait without a timeout) that many times after a batch before it sleeps, as the node's loop
/// does: a sender then seldom has to wake it.
/// </summary>
internal static class EpollFloorServer
{
    private const int BufferBytes = 64 * 1024;

    public static void Run(int port, int threads, int pollBudget)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        int listenFd = (int)listener.Handle;
        var loops = new int[threads];
        for (int i = 0; i < threads; i++)
        {
            loops[i] = EventLoopNative.EpollCreate(0);
            int epoll = loops[i];
            new Thread(() => Loop(epoll, pollBudget)) { IsBackground = true, Name = $"floor-loop-{i}" }.Start();
        }

        for (int next = 0; ; next++)
        {
            int fd = EventLoopNative.Accept(listenFd, 0, 0, EventLoopNative.NonBlocking);
            if (fd < 0)
            {
                continue;
            }

            // redis-benchmark's replies are small: no Nagle delay, as Kestrel and Redis set it.
            using (var accepted = new Socket(new SafeSocketHandle(fd, ownsHandle: false)))
            {
                accepted.NoDelay = true;
            }

            EventLoopNative.Control(loops[next % threads], EventLoopNative.EpollCtlAdd, fd, EventLoopNative.EpollIn, (ulong)fd);
        }
    }

    private static void Loop(int epoll, int pollBudget)
    {
        const int maxEvents = 512;
        var events = new byte[maxEvents * EventLoopNative.EventBytes];
        // Per connection: bytes of a request that a read cut short.
        var pending = new Dictionary<int, (byte[] Bytes, int Length)>();
        var output = new byte[BufferBytes];
        using var args = new ArgumentList();
        int pollsLeft = 0;
        while (true)
        {
            int ready = EventLoopNative.EpollWait(epoll, ref events[0], maxEvents, pollsLeft > 0 ? 0 : -1);
            pollsLeft = ready > 0 ? pollBudget : pollsLeft - 1;
            for (int i = 0; i < ready; i++)
            {
                int fd = (int)MemoryMarshal.Read<ulong>(events.AsSpan((i * EventLoopNative.EventBytes) + EventLoopNative.DataOffset));
                if (!pending.TryGetValue(fd, out (byte[] Bytes, int Length) input))
                {
                    input = (new byte[BufferBytes], 0);
                }

                nint received = EventLoopNative.Receive(fd, ref input.Bytes[input.Length], input.Bytes.Length - input.Length, 0);
                if (received <= 0)
                {
                    if (received == 0 || Marshal.GetLastPInvokeError() != EventLoopNative.WouldBlock)
                    {
                        EventLoopNative.Close(fd);
                        pending.Remove(fd);
                    }

                    continue;
                }

                int filled = input.Length + (int)received;
                int replies = FloorReplies.Answer(input.Bytes.AsSpan(0, filled), args, output, out int consumed);
                input.Bytes.AsSpan(consumed, filled - consumed).CopyTo(input.Bytes);
                pending[fd] = (input.Bytes, filled - consumed);
                // Replies are 5 bytes a request and redis-benchmark sends at most a pipeline's worth before reading them,
                // so one send always fits the socket buffer and one read's requests always fit the output buffer.
                if (replies > 0)
                {
                    EventLoopNative.Send(fd, ref output[0], replies, 0);
                }
            }
        }
    }
}
