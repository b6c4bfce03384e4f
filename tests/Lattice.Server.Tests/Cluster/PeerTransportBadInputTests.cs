using System.Buffers.Binary;
using System.Net.Sockets;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>Raw bytes from a plain TCP client: each bad input closes that connection and the node keeps serving.</summary>
public sealed class PeerTransportBadInputTests
{
    private static TcpClient Dial(TransportNode node)
    {
        var client = new TcpClient();
        client.Connect("127.0.0.1", node.Port);
        client.ReceiveTimeout = 30_000;
        return client;
    }

    private static byte[] Hello(ulong clusterId, ulong from, ulong to)
    {
        byte[] hello = new byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(hello, 26);
        hello[4] = 1;
        hello[5] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(6), clusterId);
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(14), from);
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(22), to);
        return hello;
    }

    /// <summary>Completes a valid handshake as node 3 so later frames reach the frame decoder.</summary>
    private static TcpClient Handshaken(TransportNode node)
    {
        TcpClient client = Dial(node);
        NetworkStream stream = client.GetStream();
        stream.Write(Hello(TransportNode.ClusterId, 3, node.Id));
        byte[] answer = new byte[30];
        stream.ReadExactly(answer);
        Assert.Equal(Hello(TransportNode.ClusterId, node.Id, 3), answer);
        return client;
    }

    /// <summary>True once the server closed the stream (read returns 0 or the connection resets).</summary>
    private static bool ClosedByServer(TcpClient client)
    {
        byte[] scratch = new byte[256];
        try
        {
            while (true)
            {
                if (client.GetStream().Read(scratch) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    private static (TransportNode Server, TransportNode Good) StartPair()
    {
        var server = new TransportNode(5);
        var good = new TransportNode(1);
        server.Knows(good);
        good.Knows(server);
        server.Transport.SetPeer(3, "127.0.0.1", FreePort.Pick());
        return (server, good);
    }

    private static void AssertStillServing(TransportNode server, TransportNode good)
    {
        good.SendUntilDelivered(server);
        server.SendUntilDelivered(good);
    }

    [Fact]
    public void A_wrong_cluster_id_is_refused()
    {
        (TransportNode server, TransportNode good) = StartPair();
        using (server)
        using (good)
        {
            using TcpClient client = Dial(server);
            client.GetStream().Write(Hello(TransportNode.ClusterId + 1, 3, server.Id));
            Assert.True(ClosedByServer(client));
            Poll.Until(() => server.LogContains("cluster id mismatch"), "the logged reason");
            AssertStillServing(server, good);
        }
    }

    [Fact]
    public void A_hello_from_a_higher_id_or_to_another_node_is_refused()
    {
        (TransportNode server, TransportNode good) = StartPair();
        using (server)
        using (good)
        {
            using (TcpClient higher = Dial(server))
            {
                higher.GetStream().Write(Hello(TransportNode.ClusterId, 9, server.Id));
                Assert.True(ClosedByServer(higher));
            }

            using (TcpClient misaddressed = Dial(server))
            {
                misaddressed.GetStream().Write(Hello(TransportNode.ClusterId, 3, server.Id + 1));
                Assert.True(ClosedByServer(misaddressed));
            }

            Poll.Until(() => server.LogContains("only the lower id dials") && server.LogContains("addressed to node 6"), "the logged reasons");
            AssertStillServing(server, good);
        }
    }

    [Fact]
    public void An_oversized_first_frame_is_refused_at_once()
    {
        (TransportNode server, TransportNode good) = StartPair();
        using (server)
        using (good)
        {
            using TcpClient client = Dial(server);
            client.GetStream().Write([0xFF, 0xFF, 0xFF, 0x7F, 1, 1]);
            Assert.True(ClosedByServer(client));
            Poll.Until(() => server.LogContains("is not a hello"), "the logged reason");
            AssertStillServing(server, good);
        }
    }

    [Fact]
    public void An_oversized_frame_after_the_handshake_closes_the_connection()
    {
        (TransportNode server, TransportNode good) = StartPair();
        using (server)
        using (good)
        {
            using TcpClient client = Handshaken(server);
            byte[] header = new byte[6];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)server.Options.MaxFrameBytes + 1);
            header[4] = 1;
            header[5] = 2;
            client.GetStream().Write(header);
            Assert.True(ClosedByServer(client));
            Poll.Until(() => server.LogContains("frame length"), "the logged reason");
            AssertStillServing(server, good);
        }
    }

    [Fact]
    public void A_bad_version_an_unknown_kind_and_a_malformed_raft_body_each_close_the_connection()
    {
        (TransportNode server, TransportNode good) = StartPair();
        using (server)
        using (good)
        {
            (byte Version, byte Kind, string Reason)[] cases =
            [
                (2, 2, "unsupported frame version 2"),
                (1, 7, "unexpected frame kind 7"),
                (1, 1, "unexpected frame kind 1"),
                (1, 2, "malformed raft message"),
            ];
            foreach ((byte version, byte kind, string reason) in cases)
            {
                using TcpClient client = Handshaken(server);
                byte[] frame = [6, 0, 0, 0, version, kind, 0xDE, 0xAD, 0xBE, 0xEF];
                client.GetStream().Write(frame);
                Assert.True(ClosedByServer(client), reason);
                Poll.Until(() => server.LogContains(reason), reason);
            }

            AssertStillServing(server, good);
        }
    }

    [Fact]
    public void A_connection_that_never_says_hello_is_closed_after_the_timeout()
    {
        var server = new TransportNode(5, configure: o => new PeerTransportOptions
        {
            NodeId = o.NodeId, ClusterId = o.ClusterId, ListenEndPoint = o.ListenEndPoint, ConnectTimeout = TimeSpan.FromMilliseconds(200),
        });
        using (server)
        {
            using TcpClient client = Dial(server);
            client.GetStream().Write([26, 0]);
            Assert.True(ClosedByServer(client));
            Poll.Until(() => server.LogContains("handshake timed out"), "the logged reason");
        }
    }
}
