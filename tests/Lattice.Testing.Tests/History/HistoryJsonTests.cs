using Lattice.Testing.History;

namespace Lattice.Testing.Tests.History;

public sealed class HistoryJsonTests
{
    [Fact]
    public void Operations_round_trip_through_op_lines()
    {
        var history = new TestHistory()
            .Write(1, "quote \" and \n newline", 0, 10)
            .Cas(2, null, "b", 5, 15)
            .Read(3, null, 20, 30)
            .InfoWrite(4, "c", 40)
            .Write(5, "d", 50, 60, OperationOutcome.Fail)
            .Operations;
        using var writer = new StringWriter();
        HistoryJson.Write(writer, history);

        Assert.Equal(history, HistoryJson.Parse(writer.ToString()));
    }

    [Fact]
    public void Invoke_without_completion_reads_back_as_info()
    {
        string text =
            HistoryJson.FormatInvoke(1, 7, OperationKind.Write, "x", "a", null, 100) + "\n" +
            HistoryJson.FormatInvoke(2, 8, OperationKind.Read, "x", null, null, 105) + "\n" +
            HistoryJson.FormatCompletion(2, OperationOutcome.Ok, "a", 120) + "\n";

        List<HistoryOperation> history = HistoryJson.Parse(text);

        Assert.Equal(new HistoryOperation(1, 7, OperationKind.Write, "x", "a", null, 100, long.MaxValue, OperationOutcome.Info), history[0]);
        Assert.Equal(new HistoryOperation(2, 8, OperationKind.Read, "x", "a", null, 105, 120, OperationOutcome.Ok), history[1]);
    }

    [Fact]
    public void Torn_last_line_from_a_crash_is_skipped()
    {
        string complete = HistoryJson.FormatInvoke(1, 1, OperationKind.Write, "x", "a", null, 1);
        string torn = HistoryJson.FormatCompletion(1, OperationOutcome.Ok, null, 2)[..10];

        List<HistoryOperation> history = HistoryJson.Parse(complete + "\n" + torn);

        Assert.Equal(OperationOutcome.Info, Assert.Single(history).Outcome);
    }

    [Fact]
    public void Malformed_line_before_the_end_names_its_line_number()
    {
        string text = HistoryJson.FormatInvoke(1, 1, OperationKind.Write, "x", "a", null, 1) + "\n{not json\n" +
            HistoryJson.FormatInvoke(2, 1, OperationKind.Write, "x", "b", null, 2) + "\n";

        FormatException error = Assert.Throws<FormatException>(() => HistoryJson.Parse(text));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_of_an_operation_never_invoked_is_rejected()
    {
        string text = HistoryJson.FormatCompletion(5, OperationOutcome.Ok, null, 2) + "\n" +
            HistoryJson.FormatInvoke(1, 1, OperationKind.Write, "x", "a", null, 1) + "\n";

        Assert.Throws<FormatException>(() => HistoryJson.Parse(text));
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        string line = HistoryJson.FormatInvoke(1, 1, OperationKind.Write, "x", "a", null, 1);
        Assert.Throws<FormatException>(() => HistoryJson.Parse(line + "\n" + line + "\n"));
    }

    [Fact]
    public void Unknown_properties_are_skipped_so_the_format_can_grow()
    {
        string text = "{\"type\":\"invoke\",\"id\":1,\"process\":1,\"kind\":\"add\",\"key\":\"s\",\"value\":\"e\",\"node\":{\"n\":[1,2]},\"time\":3}\n";
        Assert.Equal(OperationKind.Add, Assert.Single(HistoryJson.Parse(text)).Kind);
    }

    [Fact]
    public void Element_lists_round_trip_through_read_values()
    {
        string[] elements = ["a", "b,c", "\"q\"", string.Empty];
        Assert.Equal(elements, HistoryValues.DecodeElements(HistoryValues.EncodeElements(elements)));
        Assert.Empty(HistoryValues.DecodeElements(null));
        Assert.Throws<FormatException>(() => HistoryValues.DecodeElements("[1]"));
    }
}
