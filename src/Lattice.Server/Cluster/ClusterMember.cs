using System.Globalization;

namespace Lattice.Server.Cluster;

/// <summary>
/// One node of the cluster as the others reach it: RESP clients on <see cref="RespPort"/>, peers on
/// <see cref="PeerPort"/>. Written <c>id=host:port@peerport</c> as in Redis Cluster's node addresses; the peer port
/// defaults to the RESP port + 10000 (Redis Cluster's bus offset).
/// </summary>
public sealed record ClusterMember(ulong Id, string Host, int RespPort, int PeerPort)
{
    public const int PeerPortOffset = 10000;

    /// <summary><c>host:port@peerport</c>.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"{Host}:{RespPort}@{PeerPort}");

    /// <summary><c>host:port</c>, where Redis clients connect.</summary>
    public string ClientAddress => string.Create(CultureInfo.InvariantCulture, $"{Host}:{RespPort}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}={Address}");

    /// <summary>The member with <paramref name="id"/>, or null.</summary>
    public static ClusterMember? Find(IReadOnlyList<ClusterMember> members, ulong id)
    {
        ArgumentNullException.ThrowIfNull(members);
        foreach (ClusterMember member in members)
        {
            if (member.Id == id)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>Parses <c>id=host:port[@peerport]</c>; returns an error text or null.</summary>
    public static string? TryParse(string text, out ClusterMember? member)
    {
        member = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !ulong.TryParse(text.AsSpan(0, equals), NumberStyles.None, CultureInfo.InvariantCulture, out ulong id) || id == 0)
        {
            return $"'{text}' must look like id=host:port[@peerport] with a node id of 1 or more";
        }

        string address = text[(equals + 1)..];
        int at = address.IndexOf('@', StringComparison.Ordinal);
        string hostPort = at >= 0 ? address[..at] : address;
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !TryParsePort(hostPort[(colon + 1)..], out int respPort))
        {
            return $"'{text}': the address must be host:port with a port in 1..65535";
        }

        int peerPort = respPort + PeerPortOffset;
        if (at >= 0 && !TryParsePort(address[(at + 1)..], out peerPort))
        {
            return $"'{text}': the peer port after '@' must be in 1..65535";
        }

        if (peerPort > 65535)
        {
            return $"'{text}': the default peer port {peerPort} (port + {PeerPortOffset}) is out of range; give one with @peerport";
        }

        member = new ClusterMember(id, hostPort[..colon], respPort, peerPort);
        return null;
    }

    /// <summary>Parses a comma-separated list; ids and addresses must be distinct.</summary>
    public static string? TryParseList(string text, out List<ClusterMember> members)
    {
        members = [];
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? error = TryParse(part, out ClusterMember? member);
            if (error is not null)
            {
                return error;
            }

            foreach (ClusterMember other in members)
            {
                if (other.Id == member!.Id)
                {
                    return $"node id {member.Id} appears twice in the cluster list";
                }

                if (other.Host == member.Host && (other.PeerPort == member.PeerPort || other.RespPort == member.RespPort))
                {
                    return $"nodes {other.Id} and {member.Id} share an address";
                }
            }

            members.Add(member!);
        }

        return members.Count == 0 ? "the cluster list is empty" : null;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
