using System.Collections.Concurrent;
using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>
/// Elle-style list appends as in Jepsen's Redis-Raft test: RPUSH of unique elements and LRANGE reads of whole
/// lists, checked for lost and phantom elements, order agreement between reads, and real-time order.
/// </summary>
internal sealed class AppendWorkload(string historyPath) : ChaosWorkload("append", historyPath)
{
    private const int Lists = 2;
    private const int AppendsPerKey = 200;
    private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);
    private readonly long[] _appends = new long[Lists];
    private long _elements;

    public override async Task StepAsync(ChaosWorker worker, CancellationToken stop)
    {
        int list = worker.Random.Next(Lists);
        if (worker.Random.NextDouble() < 0.4)
        {
            string key = Key(list, Volatile.Read(ref _appends[list]));
            long id = Recorder.Invoke(worker.Process, OperationKind.Read, key);
            CompleteRead(worker, id, await worker.Client.CallAsync(["LRANGE", key, "0", "-1"], stop).ConfigureAwait(false), Elements);
            return;
        }

        string appendKey = Key(list, Interlocked.Increment(ref _appends[list]));
        _keys.TryAdd(appendKey, true);
        string element = Interlocked.Increment(ref _elements).ToString(CultureInfo.InvariantCulture);
        long appendId = Recorder.Invoke(worker.Process, OperationKind.Append, appendKey, element);
        CompleteWrite(worker, appendId, await worker.Client.CallAsync(["RPUSH", appendKey, element], stop).ConfigureAwait(false), IsInteger);
    }

    public override async Task FinalReadsAsync(ChaosWorker worker, CancellationToken stop)
    {
        foreach (string key in _keys.Keys)
        {
            await FinalReadAsync(worker, key, ["LRANGE", key, "0", "-1"], Elements, stop).ConfigureAwait(false);
        }
    }


    private static string Key(int list, long count) => string.Create(CultureInfo.InvariantCulture, $"list:{list}:{count / AppendsPerKey}");
}
