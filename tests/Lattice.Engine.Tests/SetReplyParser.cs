using System.Globalization;

namespace Lattice.Engine.Tests;

/// <summary>Parses RESP reply text from the harness into strings, longs, nulls and lists, to assert on unordered replies.</summary>
internal static class SetReplyParser
{
    public static object? Parse(string resp)
    {
        int at = 0;
        object? value = ParseAt(resp, ref at);
        Assert.Equal(resp.Length, at);
        return value;
    }

    /// <summary>The elements of an array or set reply, as strings, sorted (for unordered comparisons).</summary>
    public static List<string> SortedStrings(string resp)
    {
        var list = ((List<object?>)Parse(resp)!).Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)!).ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static object? ParseAt(string text, ref int at)
    {
        char type = text[at];
        int end = text.IndexOf("\r\n", at, StringComparison.Ordinal);
        string header = text[(at + 1)..end];
        at = end + 2;
        switch (type)
        {
            case '+':
            case ',':
            case '-':
                return header;
            case ':':
                return long.Parse(header, CultureInfo.InvariantCulture);
            case '_':
                return null;
            case '$':
                int length = int.Parse(header, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                string bulk = text.Substring(at, length);
                at += length + 2;
                return bulk;
            default:
                int count = int.Parse(header, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new List<object?>();
                for (int i = 0; i < count * (type == '%' ? 2 : 1); i++)
                {
                    items.Add(ParseAt(text, ref at));
                }

                return items;
        }
    }
}
