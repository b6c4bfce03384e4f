using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Testing.Chaos;

/// <summary>
/// The chaos cluster's network: one network namespace per node and one for the harness's clients, each joined by a
/// veth pair to a bridge that lives in a namespace of its own, so nothing is added to the host's network. Partitions
/// are iptables rules inside the node namespaces (a node drops what it receives from the nodes it is cut off
/// from); clients are never cut off, as in Jepsen. Everything is removed on dispose, and what a killed run left is
/// removed by the next one (<see cref="RemoveAbandoned"/>).
/// </summary>
public sealed class NamespaceNetwork : IDisposable
{
    private const string Subnet = "10.77.0.";
    private const int FirstNodeHost = 11;
    private const string ClientHost = "10.77.0.2";

    /// <summary>
    /// One file per network, named by its prefix and holding the owning process id: a run that was killed cannot
    /// remove its namespaces, so the next run removes those whose owner is gone.
    /// </summary>
    private const string OwnersDirectory = "/run/lattice-chaos";

    private readonly string _prefix;
    private readonly int _nodes;
    private readonly List<string> _created = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    private NamespaceNetwork(string prefix, int nodes)
    {
        _prefix = prefix;
        _nodes = nodes;
    }

    public string Description =>
        $"network namespaces {_prefix}-n1..n{_nodes} (+ {_prefix}-cl for clients) joined by a bridge in {_prefix}-sw; partitions by iptables inside the node namespaces";

    /// <summary>Builds the namespaces, or returns null with the reason when this machine cannot (not root, no ip/iptables).</summary>
    public static NamespaceNetwork? TryCreate(int nodes, ulong seed, out string? reason)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            reason = "network namespaces need root on Linux";
            return null;
        }

        foreach (string tool in new[] { "ip", "iptables" })
        {
            if (CommandRunner.TryRun("sh", "-c", "command -v " + tool).ExitCode != 0)
            {
                reason = $"'{tool}' is not installed (apt-get install iproute2 iptables)";
                return null;
            }
        }

        RemoveAbandoned(OwnersDirectory);
        string prefix = string.Create(CultureInfo.InvariantCulture, $"lc{(Environment.ProcessId ^ (int)(seed & 0xffff)) & 0xffff:x4}");
        var network = new NamespaceNetwork(prefix, nodes);
        try
        {
            Directory.CreateDirectory(OwnersDirectory);
            File.WriteAllText(Path.Combine(OwnersDirectory, prefix), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            network.Build();
            reason = null;
            return network;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            network.Dispose();
            reason = "could not build network namespaces: " + exception.Message;
            return null;
        }
    }

    public static IPAddress NodeAddress(int slot) => IPAddress.Parse(Subnet + (FirstNodeHost + slot).ToString(CultureInfo.InvariantCulture));

    public string NodeNamespace(int slot) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-n{slot + 1}");

    /// <summary>Runs the node's command inside its namespace; `ip netns exec` execs in place, so the pid is the node's.</summary>
    public ProcessStartInfo Wrap(int slot, ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var wrapped = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = start.RedirectStandardOutput,
            RedirectStandardError = start.RedirectStandardError,
            UseShellExecute = false,
        };
        wrapped.ArgumentList.Add("netns");
        wrapped.ArgumentList.Add("exec");
        wrapped.ArgumentList.Add(NodeNamespace(slot));
        wrapped.ArgumentList.Add(start.FileName);
        foreach (string argument in start.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        return wrapped;
    }

    /// <summary>
    /// A TCP socket that belongs to the clients' namespace: made on a short-lived thread that joined it (setns acts
    /// on the calling thread only); the socket keeps its namespace wherever it is used afterwards.
    /// </summary>
    public Socket CreateClientSocket()
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle handle = File.OpenHandle(Path.Combine("/run/netns", _prefix + "-cl"));
                if (ChaosNative.SetNamespace((int)handle.DangerousGetHandle(), ChaosNative.NewNetworkNamespace) != 0)
                {
                    throw new InvalidOperationException($"setns failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or SocketException or UnauthorizedAccessException)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("could not make a socket in the clients' namespace", failure);
    }

    /// <summary>Replaces all cuts: each node drops traffic from the nodes listed for it.</summary>
    public void Apply(Grudge grudge)
    {
        ArgumentNullException.ThrowIfNull(grudge);
        lock (_gate)
        {
            FlushRules();
            for (int slot = 0; slot < _nodes; slot++)
            {
                foreach (int other in grudge.DroppedBy(slot))
                {
                    CommandRunner.Run("ip", "netns", "exec", NodeNamespace(slot), "iptables", "-w", "-A", "INPUT", "-s", NodeAddress(other).ToString(), "-j", "DROP");
                }
            }
        }
    }

    public void Heal()
    {
        lock (_gate)
        {
            FlushRules();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            for (int i = _created.Count - 1; i >= 0; i--)
            {
                CommandRunner.TryRun("ip", "netns", "del", _created[i]);
            }

            if (Directory.Exists(OwnersDirectory))
            {
                File.Delete(Path.Combine(OwnersDirectory, _prefix));
            }
        }
    }

    /// <summary>
    /// Removes the namespaces of networks whose owner process is gone (killed before it could dispose them), as
    /// recorded in <paramref name="ownersDirectory"/>; a network whose owner still runs is left alone.
    /// </summary>
    public static void RemoveAbandoned(string ownersDirectory)
    {
        if (!Directory.Exists(ownersDirectory))
        {
            return;
        }

        foreach (string owner in Directory.GetFiles(ownersDirectory))
        {
            string prefix = Path.GetFileName(owner);
            if (!int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ||
                Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
            {
                continue;
            }

            if (Directory.Exists("/run/netns"))
            {
                foreach (string space in Directory.GetFiles("/run/netns", prefix + "-*"))
                {
                    CommandRunner.TryRun("ip", "netns", "del", Path.GetFileName(space));
                }
            }

            File.Delete(owner);
        }
    }

    private void FlushRules()
    {
        for (int slot = 0; slot < _nodes; slot++)
        {
            CommandRunner.Run("ip", "netns", "exec", NodeNamespace(slot), "iptables", "-w", "-F", "INPUT");
        }
    }

    private void Build()
    {
        string bridgeSpace = _prefix + "-sw";
        AddNamespace(bridgeSpace);
        CommandRunner.Run("ip", "-n", bridgeSpace, "link", "add", "br0", "type", "bridge");
        CommandRunner.Run("ip", "-n", bridgeSpace, "link", "set", "br0", "up");
        for (int slot = 0; slot < _nodes; slot++)
        {
            Attach(bridgeSpace, NodeNamespace(slot), "v" + (slot + 1).ToString(CultureInfo.InvariantCulture), NodeAddress(slot).ToString());
        }

        Attach(bridgeSpace, _prefix + "-cl", "vc", ClientHost);
    }

    private void Attach(string bridgeSpace, string space, string bridgePort, string address)
    {
        AddNamespace(space);
        CommandRunner.Run("ip", "-n", bridgeSpace, "link", "add", bridgePort, "type", "veth", "peer", "name", "eth0", "netns", space);
        CommandRunner.Run("ip", "-n", bridgeSpace, "link", "set", bridgePort, "master", "br0", "up");
        CommandRunner.Run("ip", "-n", space, "addr", "add", address + "/24", "dev", "eth0");
        CommandRunner.Run("ip", "-n", space, "link", "set", "eth0", "up");
        CommandRunner.Run("ip", "-n", space, "link", "set", "lo", "up");
    }

    private void AddNamespace(string name)
    {
        CommandRunner.Run("ip", "netns", "add", name);
        _created.Add(name);
    }
}
