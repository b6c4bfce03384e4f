using System.Globalization;
using System.Text;

namespace Lattice.Bench.Compare;

/// <summary>
/// The comparison's plots as self-contained SVG (no plotting dependency): throughput per system for every
/// workload and client count (grouped bars, log scale), and p99 latency against throughput per workload (one
/// line per system through its client counts, both axes log scale).
/// </summary>
public static class CompareSvg
{
    private const int Margin = 60;

    public static string Throughput(CompareSettings settings, IReadOnlyList<BenchResult> results)
    {
        string[] systems = settings.Systems.ToArray();
        var cells = settings.Workloads.SelectMany(w => settings.ClientCounts.Select(c => (Workload: w.ToUpperInvariant(), Clients: c))).ToList();
        double max = Math.Max(10, results.Where(r => r.Target != "noop").Select(r => r.OpsPerSecond).DefaultIfEmpty(10).Max());
        double min = Math.Max(1, results.Where(r => r.Target != "noop" && r.OpsPerSecond > 0).Select(r => r.OpsPerSecond).DefaultIfEmpty(1).Min());
        var axis = new LogAxis(min, max);
        int groupWidth = (systems.Length * 14) + 16;
        int width = (2 * Margin) + (cells.Count * groupWidth) + 120;
        const int height = 380;
        const int plotHeight = height - (2 * Margin);
        var svg = Begin(width, height, "Throughput (ops/s, log scale) per workload and client count");
        DrawYAxis(svg, axis, Margin, Margin, plotHeight, width - Margin - 120);
        for (int c = 0; c < cells.Count; c++)
        {
            int x0 = Margin + (c * groupWidth) + 8;
            for (int s = 0; s < systems.Length; s++)
            {
                BenchResult? r = results.FirstOrDefault(x => x.Target == systems[s] && x.Workload == cells[c].Workload && x.Clients == cells[c].Clients);
                if (r is null || r.OpsPerSecond <= 0)
                {
                    continue;
                }

                double y = Margin + plotHeight - (axis.Fraction(r.OpsPerSecond) * plotHeight);
                svg.Append(Invariant($"<rect x=\"{x0 + (s * 14)}\" y=\"{y:F1}\" width=\"12\" height=\"{Margin + plotHeight - y:F1}\" fill=\"{Color(systems[s])}\"><title>{systems[s]} {cells[c].Workload} x{cells[c].Clients}: {r.OpsPerSecond:F0} ops/s</title></rect>\n"));
            }

            svg.Append(Invariant($"<text x=\"{x0 + (systems.Length * 7)}\" y=\"{Margin + plotHeight + 16}\" text-anchor=\"middle\">{cells[c].Workload}</text>\n"));
            svg.Append(Invariant($"<text x=\"{x0 + (systems.Length * 7)}\" y=\"{Margin + plotHeight + 30}\" text-anchor=\"middle\" fill=\"#666\">{cells[c].Clients}c</text>\n"));
        }

        Legend(svg, systems, width - 110, Margin);
        return End(svg);
    }

    public static string LatencyAgainstThroughput(CompareSettings settings, IReadOnlyList<BenchResult> results)
    {
        string[] systems = settings.Systems.ToArray();
        List<BenchResult> real = results.Where(r => r.Target != "noop" && r.OpsPerSecond > 0 && r.Latency.P99Ns > 0).ToList();
        var x = new LogAxis(real.Select(r => r.OpsPerSecond).DefaultIfEmpty(1).Min(), real.Select(r => r.OpsPerSecond).DefaultIfEmpty(10).Max());
        var y = new LogAxis(real.Select(r => r.Latency.P99Ns / 1e6).DefaultIfEmpty(0.01).Min(), real.Select(r => r.Latency.P99Ns / 1e6).DefaultIfEmpty(1).Max());
        const int panel = 260;
        int width = Margin + (settings.Workloads.Count * (panel + Margin)) + 120;
        int height = panel + (2 * Margin) + 20;
        var svg = Begin(width, height, "p99 latency (ms) against throughput (ops/s), both log scale; points are client counts");
        for (int w = 0; w < settings.Workloads.Count; w++)
        {
            string workload = settings.Workloads[w].ToUpperInvariant();
            int left = Margin + (w * (panel + Margin));
            svg.Append(Invariant($"<rect x=\"{left}\" y=\"{Margin}\" width=\"{panel}\" height=\"{panel}\" fill=\"none\" stroke=\"#999\"/>\n"));
            svg.Append(Invariant($"<text x=\"{left + (panel / 2)}\" y=\"{Margin - 8}\" text-anchor=\"middle\" font-weight=\"bold\">workload {workload}</text>\n"));
            DrawYAxis(svg, y, left, Margin, panel, panel);
            DrawXAxis(svg, x, left, Margin + panel, panel);
            foreach (string system in systems)
            {
                var points = real.Where(r => r.Target == system && r.Workload == workload).OrderBy(r => r.Clients)
                    .Select(r => (X: left + (x.Fraction(r.OpsPerSecond) * panel), Y: Margin + panel - (y.Fraction(r.Latency.P99Ns / 1e6) * panel), r.Clients)).ToList();
                if (points.Count == 0)
                {
                    continue;
                }

                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{Color(system)}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")))}\"/>\n"));
                foreach (var p in points)
                {
                    svg.Append(Invariant($"<circle cx=\"{p.X:F1}\" cy=\"{p.Y:F1}\" r=\"3.5\" fill=\"{Color(system)}\"><title>{system} {workload} {p.Clients} clients</title></circle>\n"));
                }
            }
        }

        Legend(svg, systems, width - 110, Margin);
        return End(svg);
    }

    private static void DrawYAxis(StringBuilder svg, LogAxis axis, int left, int top, int height, int gridWidth)
    {
        foreach (double tick in axis.Ticks())
        {
            double y = top + height - (axis.Fraction(tick) * height);
            svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{left + gridWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{left - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Label(tick)}</text>\n"));
        }
    }

    private static void DrawXAxis(StringBuilder svg, LogAxis axis, int left, int bottom, int width)
    {
        foreach (double tick in axis.Ticks())
        {
            double x = left + (axis.Fraction(tick) * width);
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{bottom - width}\" x2=\"{x:F1}\" y2=\"{bottom}\" stroke=\"#eee\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{Label(tick)}</text>\n"));
        }
    }

    private static void Legend(StringBuilder svg, string[] systems, int left, int top)
    {
        for (int s = 0; s < systems.Length; s++)
        {
            svg.Append(Invariant($"<rect x=\"{left}\" y=\"{top + (s * 18)}\" width=\"12\" height=\"12\" fill=\"{Color(systems[s])}\"/>\n"));
            svg.Append(Invariant($"<text x=\"{left + 18}\" y=\"{top + (s * 18) + 11}\">{systems[s]}</text>\n"));
        }
    }

    private static StringBuilder Begin(int width, int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Margin}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{title}</text>\n"));
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Color(string system) => system switch
    {
        "lattice" => "#1f77b4",
        "redis" => "#d62728",
        "etcd" => "#2ca02c",
        _ => "#7f7f7f",
    };

    private static string Label(double value) => value >= 1000
        ? (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "K"
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
