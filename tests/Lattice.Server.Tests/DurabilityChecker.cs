using System.Globalization;

namespace Lattice.Server.Tests;

/// <summary>
/// Compares what survived a crash with what clients were told. Rules per key (each key has one writer, so its
/// writes are totally ordered):
/// <list type="bullet">
/// <item>register (SET): the value is the last acknowledged one or one attempted after it; missing only if no write
/// was acknowledged;</item>
/// <item>counter (INCR): acknowledged count ≤ value ≤ attempted count;</item>
/// <item>list (RPUSH): the list is a prefix of the attempted appends, in order, at least as long as the last
/// acknowledged append;</item>
/// <item>no key exists that no client wrote.</item>
/// </list>
/// </summary>
public static class DurabilityChecker
{
    public static IReadOnlyList<DurabilityViolation> Check(WriteHistory history, StoreObservation observed)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(observed);
        var violations = new List<DurabilityViolation>();
        foreach (KeyHistory key in history.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            IReadOnlyList<AttemptedWrite> writes = key.Writes;
            switch (key.Kind)
            {
                case WriteKind.Register:
                    CheckRegister(key.Key, writes, observed.Strings.GetValueOrDefault(key.Key), violations);
                    break;
                case WriteKind.Counter:
                    CheckCounter(key.Key, writes, observed.Strings.GetValueOrDefault(key.Key), violations);
                    break;
                default:
                    CheckList(key.Key, writes, observed.Lists.GetValueOrDefault(key.Key) ?? [], violations);
                    break;
            }
        }

        foreach (string key in observed.AllKeys.Order(StringComparer.Ordinal))
        {
            if (!history.Contains(key))
            {
                violations.Add(new(DurabilityViolationKind.NeverWrittenValue, key, "key exists but was never written"));
            }
        }

        return violations;
    }

    private static int LastAcknowledged(IReadOnlyList<AttemptedWrite> writes)
    {
        for (int i = writes.Count - 1; i >= 0; i--)
        {
            if (writes[i].Acknowledged)
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckRegister(
        string key, IReadOnlyList<AttemptedWrite> writes, string? value, List<DurabilityViolation> violations)
    {
        int lastAcked = LastAcknowledged(writes);
        string expected = lastAcked < 0 ? "nothing acknowledged" : $"last acknowledged '{writes[lastAcked].Value}'";
        if (value is null)
        {
            if (lastAcked >= 0)
            {
                violations.Add(new(DurabilityViolationKind.LostAcknowledgedWrite, key, $"missing, {expected}"));
            }

            return;
        }

        int index = -1;
        for (int i = writes.Count - 1; i >= 0; i--)
        {
            if (writes[i].Value == value)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            violations.Add(new(DurabilityViolationKind.NeverWrittenValue, key, $"holds '{value}', which was never written ({expected})"));
        }
        else if (index < lastAcked)
        {
            violations.Add(new(DurabilityViolationKind.LostAcknowledgedWrite, key, $"holds older write #{index} '{value}', {expected} (#{lastAcked})"));
        }
    }

    private static void CheckCounter(
        string key, IReadOnlyList<AttemptedWrite> writes, string? value, List<DurabilityViolation> violations)
    {
        long acked = writes.Count(w => w.Acknowledged);
        long attempted = writes.Count;
        long count = 0;
        if (value is not null && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
        {
            violations.Add(new(DurabilityViolationKind.NeverWrittenValue, key, $"counter holds non-integer '{value}'"));
            return;
        }

        if (count < acked)
        {
            violations.Add(new(DurabilityViolationKind.LostAcknowledgedWrite, key, $"counter is {count}, but {acked} increments were acknowledged"));
        }
        else if (count > attempted)
        {
            violations.Add(new(DurabilityViolationKind.NeverWrittenValue, key, $"counter is {count}, but only {attempted} increments were attempted"));
        }
    }

    private static void CheckList(
        string key, IReadOnlyList<AttemptedWrite> writes, IReadOnlyList<string> list, List<DurabilityViolation> violations)
    {
        var written = new HashSet<string>(writes.Select(w => w.Value), StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            if (!written.Contains(list[i]))
            {
                violations.Add(new(DurabilityViolationKind.NeverWrittenValue, key, $"element {i} is '{list[i]}', which was never appended"));
                return;
            }

            if (i >= writes.Count || writes[i].Value != list[i])
            {
                string wanted = i < writes.Count ? $"'{writes[i].Value}'" : "nothing";
                violations.Add(new(DurabilityViolationKind.OutOfOrder, key, $"element {i} is '{list[i]}', expected {wanted}"));
                return;
            }
        }

        int lastAcked = LastAcknowledged(writes);
        if (list.Count <= lastAcked)
        {
            violations.Add(new(DurabilityViolationKind.LostAcknowledgedWrite, key,
                $"has {list.Count} elements, but append #{lastAcked} ('{writes[lastAcked].Value}') was acknowledged"));
        }
    }
}
