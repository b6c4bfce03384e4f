using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>Counters: INCRBY with deltas 1..5 and GET, checked against the bounds the increments allow.</summary>
internal sealed class CounterWorkload(string historyPath) : ChaosWorkload("counter", historyPath)
{
    private static readonly string[] Keys = ["ctr:0", "ctr:1"];

    public override async Task StepAsync(ChaosWorker worker, CancellationToken stop)
    {
        string key = Keys[worker.Random.Next(Keys.Length)];
        if (worker.Random.NextDouble() < 0.7)
        {
            string delta = (1 + worker.Random.Next(5)).ToString(CultureInfo.InvariantCulture);
            long id = Recorder.Invoke(worker.Process, OperationKind.Increment, key, delta);
            CompleteWrite(worker, id, await worker.Client.CallAsync(["INCRBY", key, delta], stop).ConfigureAwait(false), IsInteger);
        }
        else
        {
            long id = Recorder.Invoke(worker.Process, OperationKind.Read, key);
            CompleteRead(worker, id, await worker.Client.CallAsync(["GET", key], stop).ConfigureAwait(false), BulkOrNil);
        }
    }

    public override async Task FinalReadsAsync(ChaosWorker worker, CancellationToken stop)
    {
        foreach (string key in Keys)
        {
            await FinalReadAsync(worker, key, ["GET", key], BulkOrNil, stop).ConfigureAwait(false);
        }
    }

}
