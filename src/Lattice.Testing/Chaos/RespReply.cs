using System.Globalization;
using System.Text;

namespace Lattice.Testing.Chaos;

/// <summary>One decoded RESP2 reply. Text holds simple strings, errors and bulk strings; nil has <see cref="IsNull"/>.</summary>
public sealed record RespReply(RespReplyKind Kind, string? Text, long Integer, IReadOnlyList<RespReply>? Items)
{
    public static RespReply Null { get; } = new(RespReplyKind.Null, null, 0, null);

    public bool IsNull => Kind == RespReplyKind.Null;

    public bool IsError => Kind == RespReplyKind.Error;

    /// <summary>The elements of an array reply as strings (nil elements are not expected here and are refused).</summary>
    public IReadOnlyList<string> Strings()
    {
        if (Kind != RespReplyKind.Array)
        {
            throw new FormatException($"expected an array reply, got {this}");
        }

        var strings = new List<string>(Items!.Count);
        foreach (RespReply item in Items)
        {
            strings.Add(item.Text ?? throw new FormatException($"expected string elements, got {item}"));
        }

        return strings;
    }

    public override string ToString() => Kind switch
    {
        RespReplyKind.Null => "(nil)",
        RespReplyKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        RespReplyKind.Error => "-" + Text,
        RespReplyKind.Array => Describe(Items!),
        _ => "\"" + Text + "\"",
    };

    private static string Describe(IReadOnlyList<RespReply> items)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < items.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(items[i]);
        }

        return text.Append(']').ToString();
    }
}
