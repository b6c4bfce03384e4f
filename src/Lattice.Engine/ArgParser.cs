using System.Buffers.Text;

namespace Lattice.Engine;

/// <summary>Parses arguments with Redis's rules (string2ll, strtod): no spaces, no '+', no leading zeros.</summary>
public static class ArgParser
{
    /// <summary>Redis's string2ll: optional '-', digits, no leading zeros (except "0"), fits in 64 bits.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20)
        {
            return false;
        }

        int start = text[0] == (byte)'-' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        if (text[start] == (byte)'0' && text.Length > start + 1)
        {
            return false;
        }

        if (text[start] == (byte)'0' && start == 1)
        {
            return false;
        }

        for (int i = start; i < text.Length; i++)
        {
            if (text[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(text, out value, out int used) && used == text.Length;
    }

    public static bool TryParseInt32(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (!TryParseInt64(text, out long wide) || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>A finite or infinite double as Redis accepts it ("inf", "-inf", "1e3", ".5"); NaN refused.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value) =>
        Resp.DoubleFormat.TryParse(text, out value);
}
