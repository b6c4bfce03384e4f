using System.Diagnostics;
using System.Xml.Linq;
using Lattice.Testing.Chaos;
using Lattice.Testing.History;

namespace Lattice.Testing.Tests.Chaos;

public sealed class ChaosTimelineTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Operations_are_counted_in_the_second_they_complete_and_indeterminate_ones_are_left_out()
    {
        long start = 1000 * Second;
        HistoryOperation[] history =
        [
            Operation(1, start + (Second / 10), start + (Second / 5), OperationOutcome.Ok),
            Operation(2, start + (Second / 10), start + (Second * 3 / 2), OperationOutcome.Ok),
            Operation(3, start, start + (Second * 3 / 2), OperationOutcome.Fail),
            Operation(4, start, long.MaxValue, OperationOutcome.Info),
        ];
        ChaosTimeline timeline = ChaosTimeline.From([history], start, durationMs: 2000);
        Assert.Equal(2, timeline.Seconds);
        Assert.Equal([1.0, 1.0], timeline.OkPerSecond);
        Assert.Equal([0.0, 1.0], timeline.FailPerSecond);
        Assert.Equal(100, timeline.MedianLatencyMs[0], precision: 3);
        Assert.Equal(1400, timeline.P99LatencyMs[1], precision: 3);
    }

    [Fact]
    public void A_second_without_completions_has_no_latency()
    {
        ChaosTimeline timeline = ChaosTimeline.From([[]], 0, durationMs: 1500);
        Assert.True(double.IsNaN(timeline.MedianLatencyMs[1]));
    }

    [Fact]
    public void The_plot_is_well_formed_svg_with_each_fault_shaded_in_both_panels()
    {
        long start = 0;
        HistoryOperation[] history = [Operation(1, start, start + (Second / 100), OperationOutcome.Ok)];
        FaultWindow[] faults = [new("partition", "isolate n1 | n2 n3 <&>", 200, 900), new("kill", "kill -9 n2", 1000, 1800)];
        string svg = ChaosPlot.Render(ChaosTimeline.From([history], start, 2000), faults, "title & more");
        XDocument document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        int shaded = 0;
        foreach (XElement rect in document.Descendants(ns + "rect"))
        {
            shaded += rect.Element(ns + "title") is not null ? 1 : 0;
        }

        Assert.Equal(4, shaded);
        Assert.Contains("isolate n1 | n2 n3 &lt;&amp;&gt;", svg, StringComparison.Ordinal);
    }

    private static HistoryOperation Operation(long id, long invoke, long complete, OperationOutcome outcome) =>
        new(id, 0, OperationKind.Write, "k", "v", null, invoke, complete, outcome);
}
