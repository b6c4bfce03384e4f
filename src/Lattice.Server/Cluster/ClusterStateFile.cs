using System.Globalization;
using System.Text;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>
/// <c>cluster-state</c> in the data directory: which node this directory belongs to, the membership it bootstrapped
/// with, and how many times the node has started (its incarnation, which tells this run's proposals from an earlier
/// run's). Written on first start; --initial-cluster is ignored after that, as etcd does.
/// </summary>
internal sealed class ClusterStateFile
{
    public const string FileName = "cluster-state";

    public required ulong NodeId { get; init; }

    public required uint Incarnation { get; init; }

    /// <summary>The cluster's id (peers of another cluster are refused at the handshake).</summary>
    public required ulong ClusterId { get; init; }

    public required List<ClusterMember> Members { get; init; }

    /// <summary>False until a founding member has written the initial membership into its logs; joiners never do.</summary>
    public bool Bootstrapped { get; init; }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Reads the file; null when the directory has none (first start). Damage stops start-up with a clear message.</summary>
    public static ClusterStateFile? Read(string dataDirectory)
    {
        string path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        ulong nodeId = 0;
        uint incarnation = 0;
        bool bootstrapped = false;
        ulong clusterId = 0;
        var members = new List<ClusterMember>();
        int lineNumber = 0;
        foreach (string line in File.ReadAllLines(path))
        {
            lineNumber++;
            string[] parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            bool ok = parts.Length == 2 && parts[0] switch
            {
                "node-id" => ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out nodeId),
                "incarnation" => uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out incarnation),
                "member" => ClusterMember.TryParse(parts[1], out ClusterMember? member) is null && Add(members, member!),
                "bootstrapped" => bool.TryParse(parts[1], out bootstrapped),
                "cluster-id" => ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out clusterId),
                _ => false,
            };
            if (!ok)
            {
                throw new StartupFailedException($"{path} line {lineNumber} is damaged: '{line}'. Nothing was changed.");
            }
        }

        if (nodeId == 0 || members.Count == 0 || clusterId == 0)
        {
            throw new StartupFailedException($"{path} is incomplete (no node-id, cluster-id or members). Nothing was changed.");
        }

        return new ClusterStateFile { NodeId = nodeId, Incarnation = incarnation, ClusterId = clusterId, Members = members, Bootstrapped = bootstrapped };
    }

    public void Write(string dataDirectory)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"node-id {NodeId}\n");
        text.Append(CultureInfo.InvariantCulture, $"incarnation {Incarnation}\n");
        text.Append(CultureInfo.InvariantCulture, $"bootstrapped {Bootstrapped}\n");
        text.Append(CultureInfo.InvariantCulture, $"cluster-id {ClusterId}\n");
        foreach (ClusterMember member in Members)
        {
            text.Append(CultureInfo.InvariantCulture, $"member {member}\n");
        }

        DurableFile.WriteAllText(PathIn(dataDirectory), text.ToString());
    }

    private static bool Add(List<ClusterMember> members, ClusterMember member)
    {
        members.Add(member);
        return true;
    }
}
