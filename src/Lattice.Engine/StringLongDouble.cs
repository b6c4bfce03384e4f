using System.Globalization;
using System.Numerics;
using System.Text;

namespace Lattice.Engine;

/// <summary>
/// The x87 80-bit long double that Redis's INCRBYFLOAT computes with (on x86-64), emulated exactly so the
/// stored text matches Redis byte for byte: strtold's parsing and range errors, one correctly rounded
/// addition, and "%.17Lf" with trailing zeros trimmed. A double would answer "12345.678" where Redis answers
/// "12345.67799999999999994", and "0.30000000000000004" where Redis answers "0.3".
/// The value is (−1)^negative × mantissa × 2^exponent with a mantissa of at most 64 bits.
/// </summary>
public readonly struct StringLongDouble
{
    private const int MantissaBits = 64;

    // Exponent of the least significant mantissa bit: subnormals bottom out at 2^−16445, and the largest
    // finite value is (2^64 − 1) × 2^16320 ≈ 1.19e4932.
    private const long MinExponent = -16445;
    private const long MaxExponent = 16320;

    // Decimal magnitudes beyond these certainly overflow or round to zero (strtold's ERANGE cases).
    private const long DecimalMagnitudeMax = 4934;
    private const long DecimalMagnitudeMin = -4952;

    // Redis refuses longer input (MAX_LONG_DOUBLE_CHARS).
    private const int TextBytesMax = 5 * 1024 - 1;
    private const int FixedDecimals = 17;

    private readonly BigInteger _mantissa;
    private readonly long _exponent;
    private readonly bool _negative;

    private StringLongDouble(bool negative, BigInteger mantissa, long exponent, bool infinite = false)
    {
        _negative = negative;
        _mantissa = mantissa;
        _exponent = exponent;
        IsInfinity = infinite;
    }

    public bool IsInfinity { get; }

    /// <summary>Parses as Redis's string2ld: strtold syntax (decimal, hex, inf), no spaces, no NaN, no overflow or underflow to zero.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out StringLongDouble value)
    {
        value = default;
        if (text.IsEmpty || text.Length > TextBytesMax)
        {
            return false;
        }

        bool negative = text[0] == (byte)'-';
        ReadOnlySpan<byte> body = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(body, "INF"u8) || Ascii.EqualsIgnoreCase(body, "INFINITY"u8))
        {
            value = new StringLongDouble(negative, BigInteger.Zero, 0, infinite: true);
            return true;
        }

        bool hex = body.Length > 2 && body[0] == (byte)'0' && (body[1] | 0x20) == (byte)'x';
        return hex ? TryParseHex(negative, body[2..], out value) : TryParseDecimal(negative, body, out value);
    }

    /// <summary>The correctly rounded sum; infinite when it overflows (or either side is infinite).</summary>
    public StringLongDouble Add(StringLongDouble other)
    {
        if (IsInfinity || other.IsInfinity)
        {
            return new StringLongDouble(false, BigInteger.Zero, 0, infinite: true);
        }

        long low = Math.Min(_exponent, other._exponent);
        BigInteger left = _mantissa << (int)(_exponent - low);
        BigInteger right = other._mantissa << (int)(other._exponent - low);
        BigInteger sum = (_negative ? -left : left) + (other._negative ? -right : right);
        if (sum.IsZero)
        {
            // Round-to-nearest gives −0 only for (−0) + (−0).
            return new StringLongDouble(_negative && other._negative, BigInteger.Zero, 0);
        }

        return Round(sum.Sign < 0, BigInteger.Abs(sum), BigInteger.One, low);
    }

    /// <summary>Redis's human form: "%.17Lf", trailing zeros and a bare point removed, "-0" written "0".</summary>
    public string ToFixedText()
    {
        if (IsInfinity)
        {
            return _negative ? "-inf" : "inf";
        }

        BigInteger scaled = _mantissa * BigInteger.Pow(10, FixedDecimals);
        BigInteger digits = _exponent >= 0 ? scaled << (int)_exponent : ShiftRightRoundingToEven(scaled, (int)-_exponent);
        string text = digits.ToString(CultureInfo.InvariantCulture).PadLeft(FixedDecimals + 1, '0');
        string whole = text[..^FixedDecimals];
        string fraction = text[^FixedDecimals..].TrimEnd('0');
        string result = fraction.Length == 0 ? whole : whole + "." + fraction;
        return _negative && result != "0" ? "-" + result : result;
    }

    private static bool TryParseDecimal(bool negative, ReadOnlySpan<byte> body, out StringLongDouble value)
    {
        value = default;
        int at = 0;
        var digits = new StringBuilder();
        int fractionDigits = 0;
        bool seenPoint = false;
        for (; at < body.Length; at++)
        {
            byte c = body[at];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digits.Append((char)c);
                fractionDigits += seenPoint ? 1 : 0;
            }
            else if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        if (digits.Length == 0 || !TryParseExponent(body[at..], out long exponent10))
        {
            return false;
        }

        BigInteger whole = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        if (whole.IsZero)
        {
            value = new StringLongDouble(negative, BigInteger.Zero, 0);
            return true;
        }

        exponent10 -= fractionDigits;
        long magnitude = whole.ToString(CultureInfo.InvariantCulture).Length + exponent10;
        if (magnitude is > DecimalMagnitudeMax or < DecimalMagnitudeMin)
        {
            return false;
        }

        value = exponent10 >= 0
            ? Round(negative, whole * BigInteger.Pow(10, (int)exponent10), BigInteger.One, 0)
            : Round(negative, whole, BigInteger.Pow(10, (int)-exponent10), 0);
        return !value.IsInfinity && !value._mantissa.IsZero;
    }

    private static bool TryParseHex(bool negative, ReadOnlySpan<byte> body, out StringLongDouble value)
    {
        value = default;
        BigInteger mantissa = BigInteger.Zero;
        int at = 0;
        int digitCount = 0;
        long exponent2 = 0;
        bool seenPoint = false;
        for (; at < body.Length; at++)
        {
            int digit = HexDigit(body[at]);
            if (digit >= 0)
            {
                mantissa = (mantissa << 4) + digit;
                digitCount++;
                exponent2 -= seenPoint ? 4 : 0;
            }
            else if (body[at] == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        long binaryExponent = 0;
        bool hasExponent = at < body.Length && (body[at] | 0x20) == (byte)'p';
        if (digitCount == 0 || (hasExponent && !TryParseSignedDigits(body[(at + 1)..], out binaryExponent)) || (!hasExponent && at != body.Length))
        {
            return false;
        }

        if (mantissa.IsZero)
        {
            value = new StringLongDouble(negative, BigInteger.Zero, 0);
            return true;
        }

        long scale = exponent2 + binaryExponent;
        long magnitude = (long)mantissa.GetBitLength() + scale;
        if (magnitude > MaxExponent + MantissaBits + 1 || magnitude < MinExponent - 2)
        {
            return false;
        }

        value = Round(negative, mantissa, BigInteger.One, scale);
        return !value.IsInfinity && !value._mantissa.IsZero;
    }

    /// <summary>An optional "e[sign]digits" suffix that must end the text.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> rest, out long exponent)
    {
        exponent = 0;
        if (rest.IsEmpty)
        {
            return true;
        }

        return (rest[0] | 0x20) == (byte)'e' && TryParseSignedDigits(rest[1..], out exponent);
    }

    /// <summary>[sign]digits to the end, clamped far beyond any meaningful exponent so it cannot overflow.</summary>
    private static bool TryParseSignedDigits(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = !text.IsEmpty && text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = Math.Min((value * 10) + (c - '0'), 1_000_000_000);
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>Rounds numerator / denominator × 2^scale (positive) to 64 bits, ties to even, with subnormals and overflow.</summary>
    private static StringLongDouble Round(bool negative, BigInteger numerator, BigInteger denominator, long scale)
    {
        long length = (long)numerator.GetBitLength() - (long)denominator.GetBitLength() + scale;
        // Two spare bits guarantee at least 64 quotient bits unless the subnormal floor limits the exponent.
        long exponent = Math.Max(length - MantissaBits - 2, MinExponent);
        long shift = scale - exponent;
        BigInteger quotient = shift >= 0
            ? BigInteger.DivRem(numerator << (int)shift, denominator, out BigInteger remainder)
            : BigInteger.DivRem(numerator, denominator << (int)-shift, out remainder);
        BigInteger divisor = shift >= 0 ? denominator : denominator << (int)-shift;
        int excess = Math.Max(0, (int)quotient.GetBitLength() - MantissaBits);
        BigInteger kept = quotient >> excess;
        int comparison;
        if (excess == 0)
        {
            comparison = (remainder << 1).CompareTo(divisor);
        }
        else
        {
            BigInteger dropped = quotient - (kept << excess);
            comparison = dropped.CompareTo(BigInteger.One << (excess - 1));
            comparison = comparison == 0 && !remainder.IsZero ? 1 : comparison;
        }

        if (comparison > 0 || (comparison == 0 && !kept.IsEven))
        {
            kept++;
        }

        exponent += excess;
        if (kept.GetBitLength() > MantissaBits)
        {
            kept >>= 1;
            exponent++;
        }

        return exponent > MaxExponent
            ? new StringLongDouble(negative, BigInteger.Zero, 0, infinite: true)
            : new StringLongDouble(negative, kept, exponent);
    }

    private static BigInteger ShiftRightRoundingToEven(BigInteger value, int bits)
    {
        BigInteger kept = value >> bits;
        int comparison = (value - (kept << bits)).CompareTo(BigInteger.One << (bits - 1));
        return comparison > 0 || (comparison == 0 && !kept.IsEven) ? kept + 1 : kept;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
