using System.Buffers.Text;
using System.Globalization;
using Lattice.Common;

namespace Lattice.Resp;

/// <summary>Formats and parses doubles the way Redis writes and accepts them.</summary>
public static class DoubleFormat
{
    /// <summary>Shortest round-trip form: "1.5", "3", "1e+20", "inf", "-inf", "nan".</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsPositiveInfinity(value))
        {
            return Copy("inf"u8, destination);
        }

        if (double.IsNegativeInfinity(value))
        {
            return Copy("-inf"u8, destination);
        }

        if (double.IsNaN(value))
        {
            return Copy("nan"u8, destination);
        }

        bool ok = value.TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture);
        Invariant.Check(ok, "a double fits 32 bytes");
        // .NET writes "1E+20"; Redis (and C's printf) writes "1e+20".
        for (int i = 0; i < written; i++)
        {
            if (destination[i] == (byte)'E')
            {
                destination[i] = (byte)'e';
            }
        }

        return written;
    }

    /// <summary>
    /// The fixed-point form INCRBYFLOAT and HINCRBYFLOAT reply with: up to 17 significant digits, no exponent,
    /// trailing zeros removed ("10.5", "5000", "0.1").
    /// </summary>
    public static int FormatFixed(double value, Span<byte> destination)
    {
        Invariant.Check(double.IsFinite(value), "fixed form is only for finite values");
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            decimal asDecimal;
            text = Math.Abs(value) < 7.9e28 && TryDecimal(value, out asDecimal)
                ? asDecimal.ToString(CultureInfo.InvariantCulture)
                : value.ToString("F0", CultureInfo.InvariantCulture);
        }

        int length = System.Text.Encoding.ASCII.GetBytes(text, destination);
        return length;
    }

    /// <summary>Parses a double as Redis's strtod-based parser does: "inf", "-inf", "+inf" accepted, NaN refused.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 256 || text[0] == (byte)' ' || text[^1] == (byte)' ')
        {
            return false;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(text, "INF"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "+INF"u8) ||
            System.Text.Ascii.EqualsIgnoreCase(text, "INFINITY"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "+INFINITY"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(text, "-INF"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "-INFINITY"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        if (Utf8Parser.TryParse(text, out value, out int used) && used == text.Length && !double.IsNaN(value))
        {
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) &&
               !double.IsNaN(value) && !double.IsInfinity(value);
    }

    private static bool TryDecimal(double value, out decimal result)
    {
        try
        {
            result = (decimal)value;
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
