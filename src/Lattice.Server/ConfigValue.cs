using System.Globalization;

namespace Lattice.Server;

/// <summary>Parsing and printing of configuration values the way redis.conf writes them.</summary>
internal static class ConfigValue
{
    /// <summary>Parses "1024", "64kb", "512mb", "1gb", "10k" (k/m/g are powers of 1000, kb/mb/gb of 1024).</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        string lower = text.Trim().ToLowerInvariant();
        (string suffix, long multiplier)[] units = [("kb", 1024L), ("mb", 1024L * 1024), ("gb", 1024L * 1024 * 1024), ("k", 1000L), ("m", 1000_000L), ("g", 1000_000_000L), ("b", 1L)];
        long unit = 1;
        foreach ((string suffix, long multiplier) in units)
        {
            if (lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                lower = lower[..^suffix.Length];
                unit = multiplier;
                break;
            }
        }

        if (!long.TryParse(lower, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
        {
            return false;
        }

        try
        {
            bytes = checked(count * unit);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static bool TryParseInt(string text, long min, long max, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
