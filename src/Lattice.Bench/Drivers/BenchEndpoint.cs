using System.Globalization;

namespace Lattice.Bench.Drivers;

/// <summary>A <c>HOST:PORT</c> a driver connects to.</summary>
public sealed record BenchEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";

    /// <summary>Parses a comma-separated <c>HOST:PORT,…</c> list; null and an error text when any entry is bad.</summary>
    public static IReadOnlyList<BenchEndpoint>? TryParseList(string text, out string? error)
    {
        var endpoints = new List<BenchEndpoint>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                || port is < 1 or > 65535)
            {
                error = $"'{part}' is not HOST:PORT";
                return null;
            }

            endpoints.Add(new BenchEndpoint(part[..colon], port));
        }

        error = endpoints.Count == 0 ? "no endpoints given" : null;
        return endpoints.Count == 0 ? null : endpoints;
    }
}
