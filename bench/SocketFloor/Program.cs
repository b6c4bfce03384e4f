using System.Globalization;
using Lattice.SocketFloor;

// The cost of the socket layer alone: `epoll PORT [THREADS [POLLS]]` or `kestrel PORT`; see bench/socket-floor.sh.
if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int port))
{
    Console.Error.WriteLine("usage: SocketFloor epoll PORT [THREADS [POLLS]] | kestrel PORT");
    return 2;
}

if (args[0] == "kestrel")
{
    KestrelFloorServer.Run(port);
    return 0;
}

int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
int polls = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
EpollFloorServer.Run(port, threads, polls);
return 0;
