using System.Collections.Concurrent;

namespace Lattice.Server.Tests;

/// <summary>
/// Every write a load generator attempted, per key, each marked acknowledged once the server's success reply was
/// read. A write is recorded as attempted before it is sent, so a crash can only leave it unacknowledged, never
/// unrecorded.
/// </summary>
public sealed class WriteHistory
{
    private readonly ConcurrentDictionary<string, KeyHistory> _keys = new(StringComparer.Ordinal);

    public IEnumerable<KeyHistory> Keys => _keys.Values;

    public int AcknowledgedCount => _keys.Values.Sum(k => k.Writes.Count(w => w.Acknowledged));

    public int AttemptedCount => _keys.Values.Sum(k => k.Writes.Count);

    public AttemptedWrite Attempt(string key, WriteKind kind, string value)
    {
        KeyHistory history = _keys.GetOrAdd(key, k => new KeyHistory(k, kind));
        if (history.Kind != kind)
        {
            throw new InvalidOperationException($"key {key} is a {history.Kind}, not a {kind}");
        }

        return history.Attempt(value);
    }

    public bool Contains(string key) => _keys.ContainsKey(key);
}
