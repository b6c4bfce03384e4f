using System.Text;

namespace Lattice.Engine.Tests;

/// <summary>RESP reply texts and keyspace helpers for the hash and list command tests.</summary>
internal static class HashListReplies
{
    public const string Ok = "+OK\r\n";
    public const string Nil = "$-1\r\n";
    public const string NilArray = "*-1\r\n";
    public const string Resp3Null = "_\r\n";
    public const string EmptyArray = "*0\r\n";
    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    public const string Syntax = "-ERR syntax error\r\n";
    public const string NotInteger = "-ERR value is not an integer or out of range\r\n";

    public static string Bulk(string text) => $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

    public static string Int(long value) => $":{value}\r\n";

    public static string Err(string message) => $"-{message}\r\n";

    public static string Array(params string[] items) => $"*{items.Length}\r\n" + string.Concat(items);

    /// <summary>An array of bulk strings.</summary>
    public static string Bulks(params string[] items) => Array(items.Select(Bulk).ToArray());

    /// <summary>The bulk strings of a reply in order, headers and nesting ignored (ASCII contents only).</summary>
    public static List<string> BulksIn(string reply)
    {
        var bulks = new List<string>();
        string[] lines = reply.Split("\r\n");
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('$') && lines[i] != "$-1")
            {
                bulks.Add(lines[++i]);
            }
        }

        return bulks;
    }

    /// <summary>
    /// Every live key with its full contents (strings as hex, lists in order, hashes sorted by field) and expiry,
    /// sorted: for comparing two machines or a restored snapshot.
    /// </summary>
    public static string Contents(Database database, long nowMs)
    {
        var lines = new List<string>();
        foreach (KeyValuePair<byte[], KeyEntry> pair in database.Keys)
        {
            if (database.IsExpired(pair.Key, pair.Value, nowMs))
            {
                continue;
            }

            lines.Add($"{Convert.ToHexString(pair.Key)}@{database.GetExpireAt(pair.Key)}={Describe(pair.Value.Value)}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string Describe(object value)
    {
        switch (value)
        {
            case byte[] text:
                return "string:" + Convert.ToHexString(text);
            case ListValue list:
                var elements = new List<string>();
                for (int i = 0; i < list.Count; i++)
                {
                    elements.Add(Convert.ToHexString(list[i]));
                }

                return "list:" + string.Join(',', elements);
            case HashValue hash:
                var fields = new List<string>();
                foreach (KeyValuePair<byte[], byte[]> pair in hash.Fields)
                {
                    fields.Add(Convert.ToHexString(pair.Key) + ":" + Convert.ToHexString(pair.Value));
                }

                fields.Sort(StringComparer.Ordinal);
                return "hash:" + string.Join(',', fields);
            default:
                return ((CollectionValue)value).Kind.ToString();
        }
    }
}
