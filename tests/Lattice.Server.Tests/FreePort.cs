using System.Net;
using System.Net.Sockets;

namespace Lattice.Server.Tests;

/// <summary>Asks the OS for a loopback port nobody listens on (bind to port 0, read it back, let go).</summary>
internal static class FreePort
{
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>A free port other than <paramref name="taken"/> (chosen but not yet listened on, so the OS may offer it again).</summary>
    public static int PickOtherThan(int taken)
    {
        while (true)
        {
            int port = Pick();
            if (port != taken)
            {
                return port;
            }
        }
    }
}
