using System.Collections.Concurrent;
using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>Sets: SADD of unique elements, occasional SMEMBERS, and a final SMEMBERS of every key: lost and phantom elements.</summary>
internal sealed class SetWorkload(string historyPath) : ChaosWorkload("set", historyPath)
{
    private const int AddsPerKey = 1000;
    private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);
    private long _adds;

    public override async Task StepAsync(ChaosWorker worker, CancellationToken stop)
    {
        if (worker.Random.NextDouble() < 0.1)
        {
            string key = Key(Volatile.Read(ref _adds));
            long id = Recorder.Invoke(worker.Process, OperationKind.Read, key);
            CompleteRead(worker, id, await worker.Client.CallAsync(["SMEMBERS", key], stop).ConfigureAwait(false), Elements);
            return;
        }

        long number = Interlocked.Increment(ref _adds);
        string addKey = Key(number);
        _keys.TryAdd(addKey, true);
        string element = number.ToString(CultureInfo.InvariantCulture);
        long addId = Recorder.Invoke(worker.Process, OperationKind.Add, addKey, element);
        CompleteWrite(worker, addId, await worker.Client.CallAsync(["SADD", addKey, element], stop).ConfigureAwait(false), IsInteger);
    }

    public override async Task FinalReadsAsync(ChaosWorker worker, CancellationToken stop)
    {
        foreach (string key in _keys.Keys)
        {
            await FinalReadAsync(worker, key, ["SMEMBERS", key], Elements, stop).ConfigureAwait(false);
        }
    }


    private static string Key(long number) => string.Create(CultureInfo.InvariantCulture, $"set:{number / AddsPerKey}");
}
