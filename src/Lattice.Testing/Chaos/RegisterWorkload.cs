using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>
/// Per-key registers: GET, SET and compare-and-set (WATCH, GET, MULTI, SET, EXEC) with values 0..4, checked for
/// linearizability key by key. Each key takes a fixed number of operations and then the clients move on to a fresh
/// one, which keeps the checker's search small (Jepsen's independent keys).
/// </summary>
internal sealed class RegisterWorkload : ChaosWorkload
{
    private const int Values = 5;
    private readonly int[] _operations;
    private readonly int _operationsPerKey;

    public RegisterWorkload(string historyPath, int clients, int operationsPerKey)
        : base("register", historyPath)
    {
        _operations = new int[Math.Max(1, (clients + 1) / 2)];
        _operationsPerKey = operationsPerKey;
    }

    public override async Task StepAsync(ChaosWorker worker, CancellationToken stop)
    {
        int slot = worker.Random.Next(_operations.Length);
        int count = Interlocked.Increment(ref _operations[slot]);
        string key = string.Create(CultureInfo.InvariantCulture, $"reg:{slot}:{count / _operationsPerKey}");
        double choice = worker.Random.NextDouble();
        string value = worker.Random.Next(Values).ToString(CultureInfo.InvariantCulture);
        if (choice < 0.5)
        {
            long id = Recorder.Invoke(worker.Process, OperationKind.Read, key);
            CompleteRead(worker, id, await worker.Client.CallAsync(["GET", key], stop).ConfigureAwait(false), BulkOrNil);
        }
        else if (choice < 0.75)
        {
            long id = Recorder.Invoke(worker.Process, OperationKind.Write, key, value);
            CompleteWrite(worker, id, await worker.Client.CallAsync(["SET", key, value], stop).ConfigureAwait(false), IsOk);
        }
        else
        {
            string expected = worker.Random.Next(Values).ToString(CultureInfo.InvariantCulture);
            long id = Recorder.Invoke(worker.Process, OperationKind.CompareAndSet, key, value, expected);
            await CompareAndSetAsync(worker, id, key, expected, value, stop).ConfigureAwait(false);
        }
    }

    public override Task FinalReadsAsync(ChaosWorker worker, CancellationToken stop) => Task.CompletedTask;

    /// <summary>
    /// Nothing before EXEC changes data, so a failure there is a definite Fail; EXEC answering nil means the watched
    /// key changed (Fail); only a lost or unexplained EXEC reply is indeterminate.
    /// </summary>
    private async Task CompareAndSetAsync(ChaosWorker worker, long id, string key, string expected, string value, CancellationToken stop)
    {
        ChaosClient client = worker.Client;
        ChaosCallResult watch = await client.CallAsync(["WATCH", key], stop).ConfigureAwait(false);
        ChaosCallResult read = watch.Reply is { } w && IsOk(w) ? await client.CallAsync(["GET", key], stop).ConfigureAwait(false) : watch;
        if (read.Reply is not { IsError: false } current || !BulkOrNil(current).Ok)
        {
            Tally(worker, read);
            Recorder.Complete(id, OperationOutcome.Fail);
            await client.DropAsync().ConfigureAwait(false);
            return;
        }

        if (current.Text != expected)
        {
            Recorder.Complete(id, OperationOutcome.Fail);
            if ((await client.CallAsync(["UNWATCH"], stop).ConfigureAwait(false)).Reply is not { } unwatched || !IsOk(unwatched))
            {
                await client.DropAsync().ConfigureAwait(false);
            }

            return;
        }

        ChaosCallResult multi = await client.CallAsync(["MULTI"], stop).ConfigureAwait(false);
        ChaosCallResult queued = multi.Reply is { } m && IsOk(m) ? await client.CallAsync(["SET", key, value], stop).ConfigureAwait(false) : multi;
        if (queued.Reply is not { Kind: RespReplyKind.SimpleString, Text: "QUEUED" })
        {
            Tally(worker, queued);
            Recorder.Complete(id, OperationOutcome.Fail);
            await client.DropAsync().ConfigureAwait(false);
            return;
        }

        ChaosCallResult exec = await client.CallAsync(["EXEC"], stop).ConfigureAwait(false);
        if (exec.Reply is { IsNull: true })
        {
            Recorder.Complete(id, OperationOutcome.Fail);
            return;
        }

        CompleteWrite(worker, id, exec, static reply => reply.Kind == RespReplyKind.Array && reply.Items!.Count == 1 && IsOk(reply.Items[0]));
    }
}
