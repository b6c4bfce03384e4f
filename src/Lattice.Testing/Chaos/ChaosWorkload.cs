using System.Collections.Concurrent;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>
/// A workload: what its clients do (one operation per step, recorded as invoke and completion) and how its history
/// is checked. The history goes to a JSON-lines file as it happens, so even a run that dies leaves it behind.
/// </summary>
internal abstract class ChaosWorkload : IDisposable
{
    /// <summary>How long final reads keep trying for each key after the faults are healed.</summary>
    protected static readonly TimeSpan FinalReadLimit = TimeSpan.FromSeconds(30);

    private readonly StreamWriter _journal;
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);

    protected ChaosWorkload(string name, string historyPath)
    {
        Name = name;
        HistoryPath = historyPath;
        _journal = new StreamWriter(historyPath);
        Recorder = new HistoryRecorder(TimeProvider.System, _journal);
    }

    public string Name { get; }

    public string HistoryPath { get; }

    public HistoryRecorder Recorder { get; }

    /// <summary>Errors and lost replies by label, for the report.</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    public abstract Task StepAsync(ChaosWorker worker, CancellationToken stop);

    /// <summary>After the faults: read every key the run wrote, so lost elements show.</summary>
    public abstract Task FinalReadsAsync(ChaosWorker worker, CancellationToken stop);

    public void Dispose() => _journal.Dispose();

    /// <summary>Completes a write: Ok when the reply is what success looks like, Fail when surely not applied, else Info.</summary>
    protected void CompleteWrite(ChaosWorker worker, long id, ChaosCallResult result, Func<RespReply, bool> succeeded)
    {
        if (result.Reply is { IsError: false } reply && succeeded(reply))
        {
            Recorder.Complete(id, OperationOutcome.Ok);
            return;
        }

        Tally(worker, result);
        if (result.IsDefiniteFailure)
        {
            Recorder.Complete(id, OperationOutcome.Fail);
        }
        else
        {
            Recorder.Complete(id, OperationOutcome.Info);
            worker.Crash();
        }
    }

    /// <summary>Completes a read: reads have no effect, so anything but a proper reply is a Fail.</summary>
    protected void CompleteRead(ChaosWorker worker, long id, ChaosCallResult result, Func<RespReply, (bool Ok, string? Value)> decode)
    {
        if (result.Reply is { IsError: false } reply)
        {
            (bool ok, string? value) = decode(reply);
            if (ok)
            {
                Recorder.Complete(id, OperationOutcome.Ok, value);
                return;
            }
        }

        Tally(worker, result);
        Recorder.Complete(id, OperationOutcome.Fail);
    }

    protected void Tally(ChaosCallResult result) => _errors.AddOrUpdate(result.ErrorLabel, 1, static (_, count) => count + 1);

    protected void Tally(ChaosWorker worker, ChaosCallResult result)
    {
        worker.ShouldBackOff = true;
        Tally(result);
    }

    /// <summary>Reads one key until a read succeeds or the limit passes (each attempt recorded).</summary>
    protected async Task FinalReadAsync(ChaosWorker worker, string key, string[] command, Func<RespReply, (bool Ok, string? Value)> decode, CancellationToken stop)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < FinalReadLimit && !stop.IsCancellationRequested)
        {
            long id = Recorder.Invoke(worker.Process, OperationKind.Read, key);
            ChaosCallResult result = await worker.Client.CallAsync(command, stop).ConfigureAwait(false);
            CompleteRead(worker, id, result, decode);
            if (result.Reply is { IsError: false } reply && decode(reply).Ok)
            {
                return;
            }

            if (!await ChaosDelay.WaitAsync(TimeSpan.FromMilliseconds(250), stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    protected static (bool Ok, string? Value) BulkOrNil(RespReply reply) =>
        reply.Kind switch
        {
            RespReplyKind.Null => (true, null),
            RespReplyKind.BulkString => (true, reply.Text),
            _ => (false, null),
        };

    protected static (bool Ok, string? Value) Elements(RespReply reply) =>
        reply.Kind == RespReplyKind.Array ? (true, HistoryValues.EncodeElements(reply.Strings())) : (false, null);

    protected static bool IsOk(RespReply reply) => reply is { Kind: RespReplyKind.SimpleString, Text: "OK" };

    protected static bool IsInteger(RespReply reply) => reply.Kind == RespReplyKind.Integer;
}
