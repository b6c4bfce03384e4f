namespace Lattice.Bench.Compare;

/// <summary>A base-10 log scale from whole decades around [min, max], for the SVG plots.</summary>
public sealed class LogAxis
{
    private readonly double _lowExponent;
    private readonly double _highExponent;

    public LogAxis(double min, double max)
    {
        _lowExponent = Math.Floor(Math.Log10(Math.Max(min, 1e-9)));
        _highExponent = Math.Max(_lowExponent + 1, Math.Ceiling(Math.Log10(Math.Max(max, 1e-9))));
    }

    /// <summary>Where <paramref name="value"/> falls, 0 at the bottom decade and 1 at the top.</summary>
    public double Fraction(double value) =>
        Math.Clamp((Math.Log10(Math.Max(value, 1e-12)) - _lowExponent) / (_highExponent - _lowExponent), 0, 1);

    public IEnumerable<double> Ticks()
    {
        for (double e = _lowExponent; e <= _highExponent; e++)
        {
            yield return Math.Pow(10, e);
        }
    }
}
