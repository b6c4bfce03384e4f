using Lattice.Common;

namespace Lattice.Resp.Tests;

/// <summary>
/// Doubles are written as Redis's d2string writes them (util.c: integers through double2ll, the rest through
/// fpconv_dtoa's shortest digits and layout) and read as its strtod-based parser reads them.
/// </summary>
public sealed class DoubleFormatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.5, "1.5")]
    [InlineData(3.0, "3")]
    [InlineData(-3.0, "-3")]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(100.25, "100.25")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(3.141592653589793, "3.141592653589793")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1234567890123456.8, "1234567890123456.8")]
    [InlineData(10000000.0, "10000000")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e17, "100000000000000000")]
    [InlineData(4.6e18, "4600000000000000000")]
    [InlineData(4611686018427387904.0, "4611686018427387904")]
    [InlineData(-4611686018427387904.0, "-4611686018427387904")]
    [InlineData(9223372036854775808.0, "9223372036854776000")]
    [InlineData(12345678901234567890.0, "12345678901234567000")]
    [InlineData(1e19, "1e+19")]
    [InlineData(1e20, "1e+20")]
    [InlineData(-1e21, "-1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.0025, "0.0025")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(1.5e-5, "0.000015")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.23e-5, "1.23e-5")]
    [InlineData(1.2345e-7, "1.2345e-7")]
    [InlineData(0.0012345678, "0.0012345678")]
    [InlineData(3.14159e-10, "3.14159e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-2.2250738585072014e-308, "-2.2250738585072014e-308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void Double_is_written_as_redis_writes_it(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];
        int length = DoubleFormat.Format(value, buffer);
        Assert.Equal(expected, Wire.Text(buffer[..length]));
    }

    [Fact]
    public void Every_finite_double_round_trips_through_its_text()
    {
        var random = new DeterministicRandom(0xD0B1E);
        Span<byte> buffer = stackalloc byte[32];
        for (int i = 0; i < 20_000; i++)
        {
            double value = BitConverter.UInt64BitsToDouble(random.NextUInt64());
            if (double.IsNaN(value))
            {
                continue;
            }

            int length = DoubleFormat.Format(value, buffer);
            string text = Wire.Text(buffer[..length]);
            Assert.True(DoubleFormat.TryParse(buffer[..length], out double parsed), $"{value:R} wrote unparsable \"{text}\"");
            Assert.True(BitConverter.DoubleToUInt64Bits(value) == BitConverter.DoubleToUInt64Bits(parsed), $"{value:R} -> \"{text}\" -> {parsed:R}");
            Assert.DoesNotContain("E", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Integral_doubles_within_two_to_the_62_are_written_as_integers()
    {
        var random = new DeterministicRandom(62);
        Span<byte> buffer = stackalloc byte[32];
        for (int i = 0; i < 5000; i++)
        {
            long whole = random.NextInt64(-(1L << 62), (1L << 62) + 1);
            double value = whole;
            int length = DoubleFormat.Format(value, buffer);
            Assert.Equal(((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture), Wire.Text(buffer[..length]));
        }
    }

    [Theory]
    [InlineData(10.5, "10.5")]
    [InlineData(5000.0, "5000")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(0.0, "0")]
    public void Fixed_form_has_no_exponent(double value, string expected)
    {
        byte[] buffer = new byte[512];
        int length = DoubleFormat.FormatFixed(value, buffer);
        Assert.Equal(expected, Wire.Text(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void Fixed_form_refuses_non_finite_values(double value)
    {
        byte[] buffer = new byte[512];
        Assert.Throws<InvariantViolationException>(() => DoubleFormat.FormatFixed(value, buffer));
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1", -1.0)]
    [InlineData("+5", 5.0)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("00.5", 0.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E3", 1000.0)]
    [InlineData("-1.5e-3", -0.0015)]
    [InlineData("1e+2", 100.0)]
    [InlineData("0", 0.0)]
    [InlineData("1e308", 1e308)]
    [InlineData("4.9e-324", 5e-324)]
    [InlineData("0e-400", 0.0)]
    [InlineData("0.000e999", 0.0)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("INF", double.PositiveInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("+INFINITY", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    public void Text_redis_accepts_parses(string text, double expected)
    {
        Assert.True(DoubleFormat.TryParse(Wire.Bytes(text), out double value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        Assert.True(DoubleFormat.TryParse("-0"u8, out double value));
        Assert.True(double.IsNegative(value));
        Assert.Equal(0.0, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("\t1")]
    [InlineData("1\t")]
    [InlineData("1\n")]
    [InlineData("\r1")]
    [InlineData("\v1")]
    [InlineData("1\f")]
    [InlineData("1 2")]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("-nan")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("1_000")]
    [InlineData("--1")]
    [InlineData("inff")]
    [InlineData("\u221e")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1.7976931348623159e308")]
    [InlineData("1e-400")]
    [InlineData("-0.5e-400")]
    public void Text_redis_refuses_does_not_parse(string text)
    {
        Assert.False(DoubleFormat.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Text_longer_than_256_bytes_is_refused()
    {
        Assert.True(DoubleFormat.TryParse(Wire.Bytes("1" + new string('0', 255)), out _));
        Assert.False(DoubleFormat.TryParse(Wire.Bytes("1" + new string('0', 256)), out _));
    }
}
