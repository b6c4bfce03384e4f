using System.Globalization;
using System.Text;

namespace Lattice.Engine.Tests;

/// <summary>A canonical text form of every set and sorted set in a database, to compare two machines.</summary>
internal static class SetContentsDump
{
    public static string Of(Database database)
    {
        var lines = new List<string>();
        foreach (KeyValuePair<byte[], KeyEntry> pair in database.Keys)
        {
            string key = Encoding.UTF8.GetString(pair.Key);
            switch (pair.Value.Value)
            {
                case SetValue set:
                    var members = new List<string>();
                    foreach (KeyValuePair<byte[], Empty> member in set.Members)
                    {
                        members.Add(Encoding.UTF8.GetString(member.Key));
                    }

                    members.Sort(StringComparer.Ordinal);
                    lines.Add($"{key} set [{string.Join(",", members)}] ttl={database.GetExpireAt(pair.Key)}");
                    break;
                case SortedSetValue sorted:
                    var elements = new StringBuilder();
                    for (SkipListNode? node = sorted.Order.First; node is not null; node = node.Next)
                    {
                        elements.Append(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetString(node.Member)}={node.Score:R},");
                    }

                    sorted.Order.Validate();
                    lines.Add($"{key} zset [{elements}] ttl={database.GetExpireAt(pair.Key)}");
                    break;
                default:
                    lines.Add($"{key} other");
                    break;
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }
}
