using System.Text;

namespace Lattice.Engine.Tests;

/// <summary>
/// Expiry times live in a table of their own (only keys with a TTL have one) and versions share a word with the
/// has-a-TTL flag: random operations against a plain model, then a snapshot round trip.
/// </summary>
public sealed class DatabaseExpiryTableTests
{
    [Fact]
    public void A_key_entry_keeps_its_version_and_its_expiry_flag_apart()
    {
        var entry = new KeyEntry { Version = long.MaxValue };
        entry.HasExpiry = true;
        Assert.Equal(long.MaxValue, entry.Version);
        entry.Version = 7;
        Assert.True(entry.HasExpiry);
        entry.HasExpiry = false;
        Assert.Equal(7, entry.Version);
        Assert.False(entry.HasExpiry);
    }

    [Fact]
    public void Expiry_times_and_versions_agree_with_a_model_through_random_operations_and_a_snapshot()
    {
        var random = new Random(20261124);
        var database = new Database(hashSeed: 5);
        var model = new Dictionary<string, (string Value, long ExpireAtMs, long Version)>(StringComparer.Ordinal);
        for (int step = 1; step <= 20_000; step++)
        {
            string key = "k" + random.Next(300);
            byte[] keyBytes = Encoding.ASCII.GetBytes(key);
            bool exists = model.TryGetValue(key, out var current);
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    bool keepTtl = random.Next(2) == 0;
                    database.Set(keyBytes, Encoding.ASCII.GetBytes("v" + step), keepTtl);
                    model[key] = ("v" + step, exists && keepTtl ? current.ExpireAtMs : 0, exists ? current.Version : 0);
                    break;
                case 2 when exists:
                    long at = random.Next(3) == 0 ? 0 : random.Next(1, 1_000_000);
                    database.SetExpireAt(keyBytes, at);
                    model[key] = current with { ExpireAtMs = at };
                    break;
                case 3:
                    Assert.Equal(exists, database.Delete(keyBytes));
                    model.Remove(key);
                    break;
                case 4 when exists:
                    // RENAME: the value and its expiry move to another key.
                    string target = "k" + random.Next(300);
                    byte[] targetBytes = Encoding.ASCII.GetBytes(target);
                    Assert.True(database.Take(keyBytes, out _, out object value, out long expireAtMs));
                    Assert.Equal(current.ExpireAtMs, expireAtMs);
                    database.Delete(targetBytes);
                    database.SetWithKeyArray(targetBytes, value, expireAtMs);
                    model.Remove(key);
                    model[target] = (current.Value, expireAtMs, 0);
                    break;
                case 5 when exists:
                    database.SetVersion(keyBytes, step);
                    model[key] = current with { Version = step };
                    break;
                default:
                    break;
            }
        }

        AssertMatches(database, model);
        Assert.Equal(model.Values.Count(entry => entry.ExpireAtMs != 0), database.ExpiringCount);

        using var stream = new MemoryStream();
        DatabaseSnapshot snapshot = database.BeginSnapshot();
        SnapshotCodec.Write(stream, snapshot, appliedIndex: 99);
        database.EndSnapshot();
        stream.Position = 0;
        var restored = new Database(hashSeed: 6);
        Assert.Equal(99, SnapshotCodec.Read(stream, restored));
        AssertMatches(restored, model);
    }

    [Fact]
    public void A_snapshot_with_a_negative_version_or_expiry_is_refused_as_damaged()
    {
        var database = new Database();
        database.Set("k"u8, Encoding.ASCII.GetBytes("v"));
        database.SetVersion("k"u8, 7);
        using var stream = new MemoryStream();
        SnapshotCodec.Write(stream, database.BeginSnapshot(), appliedIndex: 7);
        database.EndSnapshot();
        // magic, format, applied index, key count, key length, the key "k", then expiry (8 bytes) and version (8 bytes).
        const int ExpiryAt = 4 + 4 + 8 + 4 + 4 + 1;
        foreach (int offset in new[] { ExpiryAt, ExpiryAt + 8 })
        {
            byte[] damaged = stream.ToArray();
            BitConverter.TryWriteBytes(damaged.AsSpan(offset, 8), -5L);
            var error = Assert.Throws<InvalidDataException>(() => SnapshotCodec.Read(new MemoryStream(damaged), new Database()));
            Assert.Contains("negative expiry time or version", error.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertMatches(Database database, Dictionary<string, (string Value, long ExpireAtMs, long Version)> model)
    {
        Assert.Equal(model.Count, database.Count);
        foreach ((string key, (string value, long expireAtMs, long version)) in model)
        {
            byte[] keyBytes = Encoding.ASCII.GetBytes(key);
            Assert.Equal(expireAtMs, database.GetExpireAt(keyBytes));
            Assert.Equal(value, Encoding.ASCII.GetString((byte[])database.Read(keyBytes, nowMs: 0)!));
            Assert.Equal(version, database.GetVersion(keyBytes, nowMs: 0));
            bool expiredLater = expireAtMs != 0;
            Assert.Equal(expiredLater, database.Read(keyBytes, nowMs: 1_000_000) is null);
        }
    }
}
