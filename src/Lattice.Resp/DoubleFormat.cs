using System.Buffers.Text;
using System.Globalization;
using Lattice.Common;

namespace Lattice.Resp;

/// <summary>Formats and parses doubles the way Redis writes and accepts them.</summary>
public static class DoubleFormat
{
    /// <summary>
    /// Redis's d2string: "nan", "inf", "-inf", "0", "-0"; integral values within ±2^62 as integers
    /// ("3", "100000000000000000"); anything else as the shortest round-trip digits laid out by fpconv's
    /// rules ("1.5", "0.00001", "1e-7", "1e+20", "12345678901234567000"). Needs at most 32 bytes.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("nan"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "inf"u8 : "-inf"u8, destination);
        }

        if (value == 0)
        {
            return Copy(double.IsNegative(value) ? "-0"u8 : "0"u8, destination);
        }

        // double2ll: (double)(LLONG_MAX / 2) is 2^62.
        const double IntegerLimit = 4611686018427387904.0;
        if (value is >= -IntegerLimit and <= IntegerLimit && (long)value == value)
        {
            bool formatted = Utf8Formatter.TryFormat((long)value, destination, out int length);
            Invariant.Check(formatted, "a long fits the destination");
            return length;
        }

        return FormatShortest(value, destination);
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

    /// <summary>
    /// Parses a double as Redis's strtod-based parser does: "inf", "-inf", "+inf" accepted, NaN and white
    /// space refused, and so is a number out of range (strtod's ERANGE: too large, or too small to be anything but
    /// zero), which would otherwise be stored as an infinity or a zero the client never sent.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        // strtod skips leading white space and stops at trailing white space; Redis refuses both.
        if (text.IsEmpty || text.Length > 256 || text.IndexOfAny(" \t\n\v\f\r"u8) >= 0)
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

        bool parsed = (Utf8Parser.TryParse(text, out value, out int used) && used == text.Length) ||
                      double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        return parsed && double.IsFinite(value) && (value != 0 || !HasNonZeroDigit(text));
    }

    /// <summary>Whether the mantissa (the part before any exponent) has a digit other than 0: then a zero is an underflow.</summary>
    private static bool HasNonZeroDigit(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is (byte)'e' or (byte)'E')
            {
                return false;
            }

            if (b is >= (byte)'1' and <= (byte)'9')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>fpconv_dtoa's layout (emit_digits) of the shortest round-trip digits of a finite, non-zero value.</summary>
    private static int FormatShortest(double value, Span<byte> destination)
    {
        Span<byte> text = stackalloc byte[32];
        bool ok = value.TryFormat(text, out int written, "R", CultureInfo.InvariantCulture);
        Invariant.Check(ok, "a double fits 32 bytes");

        // Split .NET's form ("-1.2345E-07", "0.001", "123.5") into digits and K, with value = digits * 10^K.
        Span<byte> digits = stackalloc byte[20];
        int count = 0;
        int k = 0;
        bool fraction = false;
        int i = text[0] == (byte)'-' ? 1 : 0;
        for (; i < written && text[i] != (byte)'E'; i++)
        {
            if (text[i] == (byte)'.')
            {
                fraction = true;
                continue;
            }

            if (count > 0 || text[i] != (byte)'0')
            {
                digits[count++] = text[i];
            }

            if (fraction)
            {
                k--;
            }
        }

        if (i < written)
        {
            bool parsed = Utf8Parser.TryParse(text[(i + 1)..written], out int exponent, out _);
            Invariant.Check(parsed, "the exponent is an integer");
            k += exponent;
        }

        while (count > 1 && digits[count - 1] == (byte)'0')
        {
            count--;
            k++;
        }

        int at = 0;
        if (value < 0)
        {
            destination[at++] = (byte)'-';
        }

        int decimalExponent = k + count - 1;
        int magnitude = Math.Abs(decimalExponent);
        if (k >= 0 && magnitude < count + 7)
        {
            digits[..count].CopyTo(destination[at..]);
            at += count;
            destination.Slice(at, k).Fill((byte)'0');
            return at + k;
        }

        if (k < 0 && (k > -7 || magnitude < 4))
        {
            int offset = count + k;
            if (offset <= 0)
            {
                destination[at++] = (byte)'0';
                destination[at++] = (byte)'.';
                destination.Slice(at, -offset).Fill((byte)'0');
                at += -offset;
                digits[..count].CopyTo(destination[at..]);
                return at + count;
            }

            digits[..offset].CopyTo(destination[at..]);
            at += offset;
            destination[at++] = (byte)'.';
            digits[offset..count].CopyTo(destination[at..]);
            return at + count - offset;
        }

        destination[at++] = digits[0];
        if (count > 1)
        {
            destination[at++] = (byte)'.';
            digits[1..count].CopyTo(destination[at..]);
            at += count - 1;
        }

        destination[at++] = (byte)'e';
        destination[at++] = decimalExponent < 0 ? (byte)'-' : (byte)'+';
        bool exponentOk = Utf8Formatter.TryFormat(magnitude, destination[at..], out int exponentLength);
        Invariant.Check(exponentOk, "the exponent fits");
        return at + exponentLength;
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
