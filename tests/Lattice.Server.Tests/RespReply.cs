using System.Globalization;
using System.Text;

namespace Lattice.Server.Tests;

/// <summary>
/// One parsed reply. Strings, errors, doubles and big numbers keep their bytes; aggregates keep their items
/// (a map's items are key, value, key, value...). <see cref="ToString"/> renders the tree for failure messages.
/// </summary>
public sealed class RespReply
{
    private static readonly IReadOnlyList<RespReply> NoItems = [];

    public RespReply(RespKind kind, byte[]? bytes = null, long integer = 0, IReadOnlyList<RespReply>? items = null)
    {
        Kind = kind;
        Bytes = bytes;
        Integer = integer;
        Items = items ?? NoItems;
    }

    public RespKind Kind { get; }

    /// <summary>The payload of string-like replies (simple, bulk, error, verbatim without its format prefix, double...).</summary>
    public byte[]? Bytes { get; }

    /// <summary>The value of an integer reply, or 1/0 for a RESP3 boolean.</summary>
    public long Integer { get; }

    public IReadOnlyList<RespReply> Items { get; }

    public bool IsError => Kind is RespKind.Error or RespKind.BlobError;

    public bool IsNull => Kind == RespKind.Null;

    /// <summary>The payload as UTF-8 text (empty for replies without one).</summary>
    public string Text => Bytes is null ? string.Empty : Encoding.UTF8.GetString(Bytes);

    /// <summary>The pairs of a map reply (or of a RESP2 flat array of pairs), keys as text.</summary>
    public IReadOnlyDictionary<string, RespReply> AsMap()
    {
        var map = new Dictionary<string, RespReply>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < Items.Count; i += 2)
        {
            map[Items[i].Text] = Items[i + 1];
        }

        return map;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        Render(text);
        return text.ToString();
    }

    private void Render(StringBuilder text)
    {
        switch (Kind)
        {
            case RespKind.Integer:
                text.Append(CultureInfo.InvariantCulture, $"(integer) {Integer}");
                break;
            case RespKind.Boolean:
                text.Append(Integer != 0 ? "(true)" : "(false)");
                break;
            case RespKind.Null:
                text.Append("(nil)");
                break;
            case RespKind.Error or RespKind.BlobError:
                text.Append("(error) ").Append(Text);
                break;
            case RespKind.SimpleString:
                text.Append('+').Append(Text);
                break;
            case RespKind.Double or RespKind.BigNumber:
                text.Append(CultureInfo.InvariantCulture, $"({Kind}) {Text}");
                break;
            case RespKind.BulkString or RespKind.VerbatimString:
                text.Append('"').Append(Escape(Bytes!)).Append('"');
                break;
            default:
                text.Append(Kind switch
                {
                    RespKind.Map => "%{",
                    RespKind.Set => "~{",
                    RespKind.Push => ">[",
                    _ => "[",
                });
                for (int i = 0; i < Items.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(Kind == RespKind.Map && i % 2 == 1 ? " => " : ", ");
                    }

                    Items[i].Render(text);
                }

                text.Append(Kind is RespKind.Map or RespKind.Set ? '}' : ']');
                break;
        }
    }

    private static string Escape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7f && b != (byte)'"' && b != (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }
}
