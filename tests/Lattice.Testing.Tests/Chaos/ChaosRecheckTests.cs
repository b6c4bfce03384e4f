using Lattice.Testing.Chaos;
using Lattice.Testing.History;

namespace Lattice.Testing.Tests.Chaos;

public sealed class ChaosRecheckTests
{
    [Fact]
    public void Fault_windows_round_trip_through_json_lines_and_a_damaged_line_is_named()
    {
        var window = new FaultWindow("partition", "isolate n1 | n2 n3 \"quoted\"", 1200.5, 9000);
        using var reader = new StringReader(FaultWindowJson.Format(window) + "\n\n" + FaultWindowJson.Format(window with { Kind = "kill" }) + "\n");
        List<FaultWindow> read = FaultWindowJson.Read(reader);
        Assert.Equal([window, window with { Kind = "kill" }], read);

        FormatException error = Assert.Throws<FormatException>(() => FaultWindowJson.Read(new StringReader(FaultWindowJson.Format(window) + "\n{\"kind\":1}\n")));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_run_is_checked_again_and_a_bad_history_is_caught()
    {
        string directory = Directory.CreateTempSubdirectory("lattice-recheck").FullName;
        try
        {
            HistoryOperation[] good =
            [
                new(1, 0, OperationKind.Write, "k", "1", null, 100, 200, OperationOutcome.Ok),
                new(2, 1, OperationKind.Read, "k", "1", null, 300, 400, OperationOutcome.Ok),
            ];
            await WriteAsync(directory, good);
            await File.WriteAllTextAsync(Path.Combine(directory, "faults.jsonl"), FaultWindowJson.Format(new FaultWindow("kill", "kill -9 n1", 0, 1)) + "\n");
            using var output = new StringWriter();
            (bool valid, string line) = await ChaosRecheck.RunAsync(directory, output);
            Assert.True(valid, output.ToString());
            Assert.Equal("verdict: valid", line);
            Assert.Contains("1 fault windows", output.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "plot.svg")));

            // A read of a value no one wrote, after the write completed: not linearizable.
            await WriteAsync(directory, [good[0], good[1] with { Value = "2" }]);
            (valid, line) = await ChaosRecheck.RunAsync(directory, TextWriter.Null);
            Assert.False(valid);
            Assert.StartsWith("verdict: invalid (register", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_directory_without_histories_is_refused()
    {
        string directory = Directory.CreateTempSubdirectory("lattice-recheck").FullName;
        try
        {
            await Assert.ThrowsAsync<FileNotFoundException>(() => ChaosRecheck.RunAsync(directory, TextWriter.Null));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WriteAsync(string directory, HistoryOperation[] history)
    {
        await using var writer = new StreamWriter(Path.Combine(directory, "history-register.jsonl"));
        HistoryJson.Write(writer, history);
    }
}
