using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>The keys requests will look up, gathered ahead of running them so <see cref="Database.Prefetch"/> can load them together.</summary>
public static class KeyPrefetch
{
    /// <summary>
    /// Arguments read of one request. A longer one ends the look-ahead (its first keys are kept): re-reading a
    /// request of a million arguments each time more of it arrives would cost more than its misses.
    /// </summary>
    public const int ArgumentsMax = 1024;

    /// <summary>
    /// Reads the multibulk request at <paramref name="at"/> (moving past it) and adds the hashes of its keys, by its
    /// command's key positions, and of the hash fields it names (for <paramref name="readsOnly"/>, a read's only) to
    /// <paramref name="batch"/>, as many as fit. False, with <paramref name="at"/> unmoved, when no complete
    /// well-formed request is there (nothing added) or it has more than <see cref="ArgumentsMax"/> arguments.
    /// Unknown commands and wrong arities add nothing; running the request judges those.
    /// </summary>
    public static bool Collect(
        Database database, CommandTable commands, ReadOnlySpan<byte> buffer, ref int at, bool readsOnly, KeyPrefetchBatch batch)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(batch);
        int next = at;
        if (!RequestPeek.TryReadArrayHeader(buffer, ref next, out int count) || count < 1 ||
            !RequestPeek.TryReadBulk(buffer, ref next, out ReadOnlySpan<byte> name))
        {
            return false;
        }

        CommandSpec? spec = commands.Find(name);
        bool wanted = spec is not null && spec.FirstKey > 0 && (!readsOnly || !spec.IsWrite) && spec.AcceptsArgumentCount(count);
        int first = wanted ? spec!.FirstKey : int.MaxValue;
        int last = wanted ? spec!.LastKeyPosition(count) : 0;
        int step = wanted ? spec!.KeyStep : 1;
        int fieldStep = wanted ? spec!.FieldStep : 0;
        int keyIndex = -1;
        int keysBefore = batch.KeyCount;
        int fieldsBefore = batch.FieldCount;
        for (int position = 1; position < count; position++)
        {
            if (position > ArgumentsMax)
            {
                return false;
            }

            if (!RequestPeek.TryReadBulk(buffer, ref next, out ReadOnlySpan<byte> argument))
            {
                batch.Truncate(keysBefore, fieldsBefore);
                return false;
            }

            // Hash only what the batch still has room for.
            if (position >= first && position <= last && (position - first) % step == 0)
            {
                keyIndex = batch.IsFull ? -1 : batch.AddKey(database.KeyHash(argument));
            }
            else if (fieldStep > 0 && keyIndex >= 0 && !batch.FieldsFull && position >= CommandSpec.FirstFieldPosition &&
                     (position - CommandSpec.FirstFieldPosition) % fieldStep == 0)
            {
                batch.AddField(keyIndex, HashValue.FieldHash(argument));
            }
        }

        at = next;
        return true;
    }
}
