using Lattice.Testing.History;
using Lattice.Testing.Linearizability;

namespace Lattice.Testing.Tests.History;

public sealed class HistoryRecorderTests
{
    [Fact]
    public void Records_invoke_and_completion_with_times_from_the_clock()
    {
        long now = 100;
        var recorder = new HistoryRecorder(() => now);
        long write = recorder.Invoke(1, OperationKind.Write, "x", "a");
        now = 110;
        long read = recorder.Invoke(2, OperationKind.Read, "x");
        now = 120;
        recorder.Complete(write, OperationOutcome.Ok);
        now = 130;
        recorder.Complete(read, OperationOutcome.Ok, "a");

        IReadOnlyList<HistoryOperation> history = recorder.Snapshot();
        Assert.Equal(new HistoryOperation(1, 1, OperationKind.Write, "x", "a", null, 100, 120, OperationOutcome.Ok), history[0]);
        Assert.Equal(new HistoryOperation(2, 2, OperationKind.Read, "x", "a", null, 110, 130, OperationOutcome.Ok), history[1]);
    }

    [Fact]
    public void Pending_and_info_operations_never_complete()
    {
        long now = 0;
        var recorder = new HistoryRecorder(() => ++now);
        long timedOut = recorder.Invoke(1, OperationKind.Write, "x", "a");
        recorder.Invoke(2, OperationKind.Write, "x", "b");
        recorder.Complete(timedOut, OperationOutcome.Info);

        IReadOnlyList<HistoryOperation> history = recorder.Snapshot();
        Assert.All(history, operation => Assert.Equal(OperationOutcome.Info, operation.Outcome));
        Assert.All(history, operation => Assert.Equal(long.MaxValue, operation.CompleteTime));
    }

    [Fact]
    public void Completion_value_counts_only_for_reads()
    {
        long now = 0;
        var recorder = new HistoryRecorder(() => ++now);
        long write = recorder.Invoke(1, OperationKind.Write, "x", "a");
        recorder.Complete(write, OperationOutcome.Ok, "OK");
        long failedRead = recorder.Invoke(1, OperationKind.Read, "x");
        recorder.Complete(failedRead, OperationOutcome.Fail, "junk");

        IReadOnlyList<HistoryOperation> history = recorder.Snapshot();
        Assert.Equal("a", history[0].Value);
        Assert.Null(history[1].Value);
    }

    [Fact]
    public void Completing_an_unknown_or_finished_operation_is_an_error()
    {
        var recorder = new HistoryRecorder(TimeProvider.System);
        long id = recorder.Invoke(1, OperationKind.Write, "x", "a");
        recorder.Complete(id, OperationOutcome.Ok);
        Assert.Throws<InvalidOperationException>(() => recorder.Complete(id, OperationOutcome.Ok));
        Assert.Throws<InvalidOperationException>(() => recorder.Complete(99, OperationOutcome.Ok));
    }

    [Fact]
    public void Recorder_refuses_operations_beyond_its_limit()
    {
        var recorder = new HistoryRecorder(() => 0, maxOperations: 2);
        recorder.Invoke(1, OperationKind.Write, "x", "a");
        recorder.Invoke(1, OperationKind.Write, "x", "b");
        Assert.Throws<InvalidOperationException>(() => recorder.Invoke(1, OperationKind.Write, "x", "c"));
    }

    [Fact]
    public void Concurrent_clients_get_unique_ids_and_a_readable_journal()
    {
        const int ClientCount = 8;
        const int OperationsPerClient = 200;
        using var journal = new StringWriter();
        var recorder = new HistoryRecorder(TimeProvider.System, TextWriter.Synchronized(journal));
        Parallel.For(0, ClientCount, client =>
        {
            for (int i = 0; i < OperationsPerClient; i++)
            {
                string key = "k" + client;
                long id = recorder.Invoke(client, OperationKind.Write, key, $"{client}-{i}");
                recorder.Complete(id, OperationOutcome.Ok);
            }
        });

        IReadOnlyList<HistoryOperation> history = recorder.Snapshot();
        Assert.Equal(ClientCount * OperationsPerClient, history.Select(operation => operation.Id).Distinct().Count());
        Assert.Equal(history, HistoryJson.Parse(journal.ToString()));
        Assert.True(LinearizabilityChecker.CheckRegisters(history).IsLinearizable);
    }
}
