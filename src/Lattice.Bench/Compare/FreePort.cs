using System.Net;
using System.Net.Sockets;

namespace Lattice.Bench.Compare;

/// <summary>Asks the OS for loopback ports nobody listens on (bind to port 0, read it back, let go).</summary>
public static class FreePort
{
    /// <summary><paramref name="count"/> distinct free ports, all held until every one is chosen so none repeats.</summary>
    public static int[] Pick(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            var ports = new int[count];
            for (int i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
                ports[i] = ((IPEndPoint)listeners[i].LocalEndpoint).Port;
            }

            return ports;
        }
        finally
        {
            foreach (TcpListener? listener in listeners)
            {
                listener?.Stop();
            }
        }
    }
}
