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

    /// <summary>
    /// A free port not in <paramref name="taken"/>, added to it: ports picked but not yet listened on can be offered
    /// again, so ports one test starts together with are picked through one set.
    /// </summary>
    public static int PickDistinct(HashSet<int> taken)
    {
        int port;
        do
        {
            port = Pick();
        }
        while (!taken.Add(port));
        return port;
    }
}
