using System.Text;
using Lattice.Common;

namespace Lattice.Engine.Tests;

public sealed class KeyByteTableTests
{
    [Fact]
    public void Adds_removes_and_lookups_agree_with_a_dictionary()
    {
        var random = new Random(12345);
        var table = new ByteTable<int>(0, seed: 3);
        var model = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int step = 0; step < 50_000; step++)
        {
            string key = "k" + random.Next(2000);
            byte[] bytes = Encoding.ASCII.GetBytes(key);
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    ref int slot = ref table.GetValueRefOrAddDefault(bytes, out bool exists);
                    Assert.Equal(model.ContainsKey(key), exists);
                    slot = step;
                    model[key] = step;
                    break;
                case 2:
                    bool removed = table.Remove(bytes, out byte[] storedKey, out int value);
                    Assert.Equal(model.Remove(key, out int expected), removed);
                    if (removed)
                    {
                        Assert.Equal(expected, value);
                        Assert.Equal(bytes, storedKey);
                    }

                    break;
                default:
                    Assert.Equal(model.TryGetValue(key, out int want), table.TryGetValue(bytes, out int got));
                    Assert.Equal(want, got);
                    break;
            }

            Assert.Equal(model.Count, table.Count);
        }

        var enumerated = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<byte[], int> pair in table)
        {
            enumerated.Add(Encoding.ASCII.GetString(pair.Key), pair.Value);
        }

        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), enumerated.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_span_overload_copies_the_key_and_the_array_overload_keeps_it()
    {
        var table = new ByteTable<int>();
        byte[] kept = "kept"u8.ToArray();
        table.GetValueRefOrAddDefault(kept, out _) = 1;
        Span<byte> scratch = stackalloc byte[4];
        "copy"u8.CopyTo(scratch);
        table.GetValueRefOrAddDefault((ReadOnlySpan<byte>)scratch, out _) = 2;
        scratch.Clear();
        Assert.Same(kept, table.KeyAt(table.SlotOf("kept"u8)));
        Assert.True(table.TryGetValue("copy"u8, out int copied));
        Assert.Equal(2, copied);
    }

    [Fact]
    public void A_scan_by_slots_returns_each_key_present_throughout_exactly_once()
    {
        var random = new Random(777);
        var table = new ByteTable<int>(0, seed: 11);
        var stable = new HashSet<string>(StringComparer.Ordinal);
        var churn = new List<string>();
        for (int i = 0; i < 3000; i++)
        {
            table.GetValueRefOrAddDefault(Encoding.ASCII.GetBytes("s" + i), out _) = i;
            stable.Add("s" + i);
        }

        for (int i = 0; i < 1000; i++)
        {
            table.GetValueRefOrAddDefault(Encoding.ASCII.GetBytes("c" + i), out _) = i;
            churn.Add("c" + i);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int cursor = 0;
        int nextChurn = 1000;
        while (cursor < table.SlotCount)
        {
            int end = Math.Min(table.SlotCount, cursor + random.Next(1, 64));
            for (int slot = cursor; slot < end; slot++)
            {
                byte[]? key = table.KeyAt(slot);
                if (key is not null)
                {
                    string name = Encoding.ASCII.GetString(key);
                    seen[name] = seen.GetValueOrDefault(name) + 1;
                }
            }

            cursor = end;
            // Between steps other writers insert (growing the table) and delete keys that are not stable.
            for (int i = 0; i < 20; i++)
            {
                if (random.Next(2) == 0 && churn.Count > 0)
                {
                    int victim = random.Next(churn.Count);
                    Assert.True(table.Remove(Encoding.ASCII.GetBytes(churn[victim])));
                    churn.RemoveAt(victim);
                }
                else
                {
                    string added = "c" + nextChurn++;
                    table.GetValueRefOrAddDefault(Encoding.ASCII.GetBytes(added), out _) = 0;
                    churn.Add(added);
                }
            }
        }

        foreach (string key in stable)
        {
            Assert.Equal(1, seen.GetValueOrDefault(key));
        }

        Assert.All(seen.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Random_slot_finds_the_few_live_entries_of_a_sparse_table()
    {
        var table = new ByteTable<int>();
        var random = new DeterministicRandom(5);
        Assert.Equal(-1, table.RandomSlot(ref random));
        for (int i = 0; i < 10_000; i++)
        {
            table.GetValueRefOrAddDefault(Encoding.ASCII.GetBytes("k" + i), out _) = i;
        }

        for (int i = 0; i < 10_000; i++)
        {
            if (i is not (17 or 5000 or 9999))
            {
                Assert.True(table.Remove(Encoding.ASCII.GetBytes("k" + i)));
            }
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 300; i++)
        {
            int slot = table.RandomSlot(ref random);
            Assert.True(slot >= 0);
            found.Add(Encoding.ASCII.GetString(table.KeyAt(slot)!));
        }

        Assert.Equal(["k17", "k5000", "k9999"], found.Order(StringComparer.Ordinal));
    }
}
