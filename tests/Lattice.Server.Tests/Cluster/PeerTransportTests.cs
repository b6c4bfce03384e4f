using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

public sealed class PeerTransportTests
{
    private static void Connect(params TransportNode[] nodes)
    {
        foreach (TransportNode node in nodes)
        {
            foreach (TransportNode other in nodes)
            {
                if (other != node)
                {
                    node.Knows(other);
                }
            }
        }
    }

    private static void WaitConnected(TransportNode a, TransportNode b) =>
        Poll.Until(() => a.Transport.GetStats(b.Id).Connects > 0 && b.Transport.GetStats(a.Id).Connects > 0, $"{a.Id} and {b.Id} to connect");

    [Fact]
    public void Two_nodes_exchange_raft_messages_and_application_frames_both_ways()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        Connect(one, two);

        one.SendUntilDelivered(two);
        two.SendUntilDelivered(one);

        Assert.True(two.Transport.SendFrame(1, 16, [1, 2, 3]));
        two.Transport.Flush();
        Poll.Until(() => !one.Handler.Frames.IsEmpty, "the application frame");
        Assert.True(one.Handler.Frames.TryPeek(out (ulong From, byte Kind, byte[] Body) frame));
        Assert.Equal((2UL, (byte)16), (frame.From, frame.Kind));
        Assert.Equal(new byte[] { 1, 2, 3 }, frame.Body);

        // One socket per pair: the dialer connected once and the acceptor accepted once.
        Assert.Equal(1, one.Transport.GetStats(2).Connects);
        Assert.Equal(1, two.Transport.GetStats(1).Connects);
        Assert.Contains((2UL, true), one.Handler.ConnectionChanges);
    }

    [Fact]
    public void Three_nodes_all_talk_to_each_other()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        using var three = new TransportNode(3);
        TransportNode[] nodes = [one, two, three];
        Connect(nodes);
        foreach (TransportNode from in nodes)
        {
            foreach (TransportNode to in nodes)
            {
                if (from != to)
                {
                    from.SendUntilDelivered(to);
                }
            }
        }

        foreach (TransportNode node in nodes)
        {
            Assert.Equal(2, node.Transport.GetStats().Connects);
        }
    }

    [Fact]
    public void A_thousand_messages_and_one_flush_arrive_in_order_in_few_socket_writes()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        Connect(one, two);
        one.SendUntilDelivered(two);
        two.Handler.Messages.Clear();
        PeerTransportStats before = one.Transport.GetStats(2);

        byte[] payload = new byte[100];
        var entries = new Entry[1];
        for (ulong i = 1; i <= 1000; i++)
        {
            payload[0] = (byte)i;
            entries[0] = new Entry(3, i, EntryType.Normal, payload);
            RaftMessage message = one.Heartbeat(2, i);
            message.Type = MessageType.Append;
            message.Entries = entries;
            Assert.True(one.Transport.Send(message));
        }

        one.Transport.Flush();
        Poll.Until(() => two.Handler.Messages.Count >= 1000, "1000 messages");
        ulong expected = 1;
        foreach (RaftMessage message in two.Handler.Messages)
        {
            Assert.Equal(expected, message.Index);
            // The sender reused its payload buffer at once, so each copy must carry its own first byte.
            Assert.Equal((byte)expected, message.Entries.Span[0].Data.Span[0]);
            expected++;
        }

        PeerTransportStats after = one.Transport.GetStats(2);
        Assert.Equal(1000, after.FramesSent - before.FramesSent);
        Assert.InRange(after.SocketWrites - before.SocketWrites, 1, 2);
    }

    [Fact]
    public void A_restarted_acceptor_on_the_same_port_is_reconnected()
    {
        using var one = new TransportNode(1);
        var two = new TransportNode(2);
        int port = two.Port;
        TransportNode? again = null;
        try
        {
            Connect(one, two);
            one.SendUntilDelivered(two);
            two.SendUntilDelivered(one);

            two.Dispose();
            again = new TransportNode(2, port);
            again.Knows(one);
            one.SendUntilDelivered(again);
            again.SendUntilDelivered(one);
            Assert.True(one.Transport.GetStats(2).Connects >= 2);
            Assert.True(one.Transport.GetStats(2).Disconnects >= 1);
        }
        finally
        {
            two.Dispose();
            again?.Dispose();
        }
    }

    [Fact]
    public void A_second_transport_cannot_bind_a_peer_port_in_use()
    {
        using var one = new TransportNode(1);
        var error = Assert.Throws<System.Net.Sockets.SocketException>(() => new TransportNode(2, one.Port));
        Assert.Equal(System.Net.Sockets.SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public void A_restarted_dialer_replaces_its_old_connection()
    {
        var one = new TransportNode(1);
        using var two = new TransportNode(2);
        TransportNode? again = null;
        try
        {
            Connect(one, two);
            one.SendUntilDelivered(two);
            one.Dispose();

            again = new TransportNode(1);
            two.Transport.SetPeer(1, "127.0.0.1", again.Port);
            again.Knows(two);
            again.SendUntilDelivered(two);
            two.SendUntilDelivered(again);
            Assert.Equal(2, two.Transport.GetStats(1).Connects);
        }
        finally
        {
            one.Dispose();
            again?.Dispose();
        }
    }

    [Fact]
    public void Sends_to_a_peer_that_never_connects_stop_at_the_queue_bound_and_allocate_nothing()
    {
        const int bound = 64 * 1024;
        // Node 5 only accepts from node 1, which never comes, so everything queues.
        using var five = new TransportNode(5, configure: o => new PeerTransportOptions
        {
            NodeId = o.NodeId, ClusterId = o.ClusterId, ListenEndPoint = o.ListenEndPoint, MaxQueuedBytesPerPeer = bound,
        });
        five.Transport.SetPeer(1, "127.0.0.1", FreePort.Pick());

        var entries = new Entry[] { new(1, 1, EntryType.Normal, new byte[1000]) };
        RaftMessage message = five.Heartbeat(1, 1);
        message.Type = MessageType.Append;
        message.Entries = entries;
        int frameBytes = 6 + RaftMessageCodec.MeasureBytes(message);

        int accepted = 0;
        while (five.Transport.Send(message))
        {
            accepted++;
            Assert.True(accepted <= bound / frameBytes + 1, "more accepted than the bound allows");
        }

        Assert.Equal(bound / frameBytes, accepted);
        five.Transport.Flush();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Assert.False(five.Transport.Send(message));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"refused sends allocated {allocated} bytes");
        Assert.Equal(10_001, five.Transport.GetStats(1).FramesDropped);
        Assert.Equal(0, five.Transport.GetStats(1).FramesSent);
    }

    [Fact]
    public void Steady_state_sends_to_a_connected_peer_do_not_allocate()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        Connect(one, two);
        one.SendUntilDelivered(two);
        var entries = new Entry[] { new(1, 1, EntryType.Normal, new byte[64]) };
        RaftMessage message = one.Heartbeat(2, 1);
        message.Type = MessageType.Append;
        message.Entries = entries;
        // Warm-up rounds grow both swapped buffers to the batch size; after that sends only copy bytes.
        for (int round = 1; round <= 3; round++)
        {
            for (int i = 0; i < 200; i++)
            {
                Assert.True(one.Transport.Send(message));
            }

            one.Transport.Flush();
            Poll.Until(() => two.Handler.CountFrom(1) > round * 200, "the warm-up round");
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Assert.True(one.Transport.Send(message));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"sends allocated {allocated} bytes");
        one.Transport.Flush();
    }

    [Fact]
    public void A_partition_drops_traffic_both_ways_and_heal_restores_it()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        Connect(one, two);
        one.SendUntilDelivered(two);
        two.SendUntilDelivered(one);

        one.Transport.Faults.Partition(2);
        Assert.False(one.Transport.Send(one.Heartbeat(2, 7)));
        int received = one.Handler.CountFrom(2);
        long droppedBefore = one.Transport.GetStats(2).FramesDropped;
        for (int i = 0; i < 20; i++)
        {
            Assert.True(two.Transport.Send(two.Heartbeat(1, 7)));
        }

        two.Transport.Flush();
        // The frames reach node 1 and are discarded there, so the receive-side drop is observable.
        Poll.Until(() => one.Transport.GetStats(2).FramesDropped >= droppedBefore + 20, "node 1 to discard partitioned frames");
        Assert.Equal(received, one.Handler.CountFrom(2));

        one.Transport.Faults.Heal(2);
        one.SendUntilDelivered(two);
        two.SendUntilDelivered(one);
    }

    [Fact]
    public void Seeded_random_drops_refuse_about_the_configured_share()
    {
        using var one = new TransportNode(1);
        one.Transport.SetPeer(2, "127.0.0.1", FreePort.Pick());
        one.Transport.Faults.DropProbability = 0.5;
        int accepted = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (one.Transport.Send(one.Heartbeat(2, 1)))
            {
                accepted++;
            }
        }

        Assert.InRange(accepted, 400, 600);
    }

    [Fact]
    public void A_delay_holds_frames_back_but_delivers_them()
    {
        using var one = new TransportNode(1);
        using var two = new TransportNode(2);
        Connect(one, two);
        one.SendUntilDelivered(two);
        one.Transport.Faults.Delay = TimeSpan.FromMilliseconds(300);
        int before = two.Handler.CountFrom(1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(one.Transport.Send(one.Heartbeat(2, 9)));
        one.Transport.Flush();
        Poll.Until(() => two.Handler.CountFrom(1) > before, "the delayed message");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"arrived after {watch.Elapsed}");
    }

    [Fact]
    public void Dispose_is_idempotent_and_refuses_later_sends()
    {
        var one = new TransportNode(1);
        one.Transport.SetPeer(2, "127.0.0.1", FreePort.Pick());
        one.Dispose();
        one.Dispose();
        Assert.False(one.Transport.Send(one.Heartbeat(2, 1)));
    }
}
