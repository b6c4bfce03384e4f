using System.Globalization;
using System.Text;

namespace Lattice.Testing.Chaos;

/// <summary>
/// An SVG of a run: acknowledged operations per second (and failed ones) above, median and p99 latency on a log
/// scale below, with each fault window shaded in its family's colour across both.
/// </summary>
public static class ChaosPlot
{
    private const double Width = 960;
    private const double Left = 60;
    private const double Right = 20;
    private const double PanelHeight = 180;
    private const double ThroughputTop = 56;
    private const double LatencyTop = ThroughputTop + PanelHeight + 50;
    private const double Height = LatencyTop + PanelHeight + 40;
    private const double MinLatencyMs = 0.1;
    private const double MaxLatencyMs = 10_000;
    private static readonly string[] Kinds = ["partition", "kill", "pause", "clock", "membership"];
    private static readonly double[] TickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

    public static string Render(ChaosTimeline timeline, IReadOnlyList<FaultWindow> windows, string title)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(windows);
        var svg = new StringBuilder();
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        Append(svg, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        Append(svg, $"<text x=\"{Left}\" y=\"20\" font-size=\"14\">{Escape(title)}</text>");
        double seconds = timeline.Seconds;
        double plotWidth = Width - Left - Right;
        double X(double second) => Left + (second / seconds * plotWidth);

        foreach (FaultWindow window in windows)
        {
            double x0 = X(window.StartMs / 1000);
            double x1 = Math.Max(x0 + 1, X(Math.Min(seconds, window.EndMs / 1000)));
            string colour = Colour(window.Kind);
            foreach (double top in new[] { ThroughputTop, LatencyTop })
            {
                Append(svg, $"<rect x=\"{x0:F1}\" y=\"{top}\" width=\"{x1 - x0:F1}\" height=\"{PanelHeight}\" fill=\"{colour}\" fill-opacity=\"0.18\"><title>{Escape(window.Kind + ": " + window.Description)}</title></rect>");
            }

            if (x1 - x0 >= 60)
            {
                Append(svg, $"<text x=\"{x0 + 2:F1}\" y=\"{ThroughputTop + 10}\" fill=\"{colour}\">{Escape(window.Kind)}</text>");
            }
        }

        double legendX = Left;
        foreach (string kind in Kinds)
        {
            Append(svg, $"<rect x=\"{legendX}\" y=\"26\" width=\"10\" height=\"10\" fill=\"{Colour(kind)}\" fill-opacity=\"0.4\"/>");
            Append(svg, $"<text x=\"{legendX + 13}\" y=\"35\">{kind}</text>");
            legendX += 85;
        }

        double maxRate = 1;
        foreach (double rate in timeline.OkPerSecond)
        {
            maxRate = Math.Max(maxRate, rate);
        }

        foreach (double rate in timeline.FailPerSecond)
        {
            maxRate = Math.Max(maxRate, rate);
        }

        double RateY(double rate) => ThroughputTop + PanelHeight - (rate / maxRate * PanelHeight);
        double LatencyY(double ms)
        {
            double clamped = Math.Clamp(ms, MinLatencyMs, MaxLatencyMs);
            double fraction = Math.Log10(clamped / MinLatencyMs) / Math.Log10(MaxLatencyMs / MinLatencyMs);
            return LatencyTop + PanelHeight - (fraction * PanelHeight);
        }

        Axes(svg, ThroughputTop, "ops/s", [(RateY(0), "0"), (RateY(maxRate / 2), Number(maxRate / 2)), (RateY(maxRate), Number(maxRate))], seconds, X);
        Axes(svg, LatencyTop, "latency (ms, log)", [(LatencyY(0.1), "0.1"), (LatencyY(1), "1"), (LatencyY(10), "10"), (LatencyY(100), "100"), (LatencyY(1000), "1000"), (LatencyY(10000), "10000")], seconds, X);
        Line(svg, timeline.OkPerSecond, X, RateY, "#1f77b4", "ok");
        Line(svg, timeline.FailPerSecond, X, RateY, "#d62728", "failed");
        Line(svg, timeline.MedianLatencyMs, X, LatencyY, "#2ca02c", "p50");
        Line(svg, timeline.P99LatencyMs, X, LatencyY, "#9467bd", "p99");
        Append(svg, $"<text x=\"{Width - Right - 230}\" y=\"{ThroughputTop - 6}\"><tspan fill=\"#1f77b4\">ok/s</tspan>  <tspan fill=\"#d62728\">failed/s</tspan></text>");
        Append(svg, $"<text x=\"{Width - Right - 230}\" y=\"{LatencyTop - 6}\"><tspan fill=\"#2ca02c\">p50</tspan>  <tspan fill=\"#9467bd\">p99</tspan> of acknowledged operations</text>");
        Append(svg, $"<text x=\"{Left + (plotWidth / 2) - 30}\" y=\"{Height - 8}\">seconds since start</text>");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Axes(StringBuilder svg, double top, string label, (double Y, string Text)[] ticks, double seconds, Func<double, double> x)
    {
        Append(svg, $"<line x1=\"{Left}\" y1=\"{top + PanelHeight}\" x2=\"{Width - Right}\" y2=\"{top + PanelHeight}\" stroke=\"black\"/>");
        Append(svg, $"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{top + PanelHeight}\" stroke=\"black\"/>");
        Append(svg, $"<text x=\"{Left}\" y=\"{top - 6}\">{Escape(label)}</text>");
        foreach ((double y, string text) in ticks)
        {
            Append(svg, $"<text x=\"{Left - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{text}</text>");
            Append(svg, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>");
        }

        double step = TickSteps[^1];
        foreach (double candidate in TickSteps)
        {
            if (seconds / candidate <= 12)
            {
                step = candidate;
                break;
            }
        }

        for (double s = 0; s <= seconds; s += step)
        {
            Append(svg, $"<text x=\"{x(s):F1}\" y=\"{top + PanelHeight + 14}\" text-anchor=\"middle\">{Number(s)}</text>");
        }
    }

    private static void Line(StringBuilder svg, IReadOnlyList<double> values, Func<double, double> x, Func<double, double> y, string colour, string name)
    {
        var points = new StringBuilder();
        for (int i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                Flush(svg, points, colour, name);
                continue;
            }

            points.Append(CultureInfo.InvariantCulture, $"{x(i + 0.5):F1},{y(values[i]):F1} ");
        }

        Flush(svg, points, colour, name);
    }

    private static void Flush(StringBuilder svg, StringBuilder points, string colour, string name)
    {
        if (points.Length > 0)
        {
            Append(svg, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points.ToString().TrimEnd()}\"><title>{name}</title></polyline>");
            points.Clear();
        }
    }

    private static string Colour(string kind) => kind switch
    {
        "partition" => "#ff7f0e",
        "kill" => "#d62728",
        "pause" => "#8c564b",
        "clock" => "#17becf",
        "membership" => "#bcbd22",
        _ => "#7f7f7f",
    };

    private static string Number(double value) => value.ToString(value >= 100 ? "F0" : "0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static void Append(StringBuilder svg, FormattableString line) => svg.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
