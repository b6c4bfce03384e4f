using System.Buffers;
using System.Text;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

/// <summary>RESP reply texts and keyspace helpers shared by the key and string command tests.</summary>
internal static class KeyTestSupport
{
    public const string Ok = "+OK\r\n";
    public const string Nil = "$-1\r\n";
    public const string EmptyBulk = "$0\r\n\r\n";
    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    public const string Syntax = "-ERR syntax error\r\n";
    public const string NotInteger = "-ERR value is not an integer or out of range\r\n";

    public static string Bulk(string text) => $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

    public static string Int(long value) => $":{value}\r\n";

    public static string Err(string message) => $"-{message}\r\n";

    public static string Array(params string[] items) => $"*{items.Length}\r\n" + string.Concat(items);

    /// <summary>Puts a stand-in collection of the given kind under a key (other families own the real ones).</summary>
    public static void PutCollection(EngineHarness h, string key, ValueKind kind = ValueKind.List) =>
        h.Machine.Database.Set(Encoding.UTF8.GetBytes(key), new KeyTestCollection(kind));

    /// <summary>Every live key with its value text (strings) or kind and its expiry, sorted: for comparing two machines.</summary>
    public static string Contents(Database database, long nowMs)
    {
        var lines = new List<string>();
        foreach (KeyValuePair<byte[], KeyEntry> pair in database.Keys)
        {
            if (database.IsExpired(pair.Key, pair.Value, nowMs))
            {
                continue;
            }

            string value = pair.Value.Value is byte[] text ? Convert.ToHexString(text) : ((CollectionValue)pair.Value.Value).Kind.ToString();
            lines.Add($"{Convert.ToHexString(pair.Key)}={value}@{database.GetExpireAt(pair.Key)}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Runs one command straight through its handler with a chosen string limit (the harness keeps the
    /// default 512 MB, too big to reach in a test).
    /// </summary>
    public static string RunWithLimit(KeyValueStateMachine machine, long maxStringBytes, long timeMs, params string[] words)
    {
        var reply = new ArrayBufferWriter<byte>();
        var context = new CommandContext(machine.Database, new ReplyWriter(reply)) { MaxStringBytes = maxStringBytes };
        byte[] request = Encode(words);
        using var list = new ArgumentList();
        RequestParser.ParseMultiBulk(request, RespLimits.Default, list, out _, out _);
        CommandArgs args = list.AsArgs(request);
        CommandSpec spec = machine.Commands.Find(args[0])!;
        context.BeginWrite(1, timeMs);
        spec.Handler(context, args);
        return Encoding.UTF8.GetString(reply.WrittenSpan);
    }

    public static byte[] Encode(params string[] words)
    {
        var text = new StringBuilder();
        text.Append('*').Append(words.Length).Append("\r\n");
        foreach (string word in words)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(word)).Append("\r\n").Append(word).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
